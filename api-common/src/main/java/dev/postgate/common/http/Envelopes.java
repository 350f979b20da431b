package dev.postgate.common.http;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.postgate.common.api.Page;
import dev.postgate.common.errors.ApiException;
import dev.postgate.common.keys.KeyRedaction;

/** Builds the SPEC envelope: {@code {data, error, meta: {request_id, timestamp[, next_cursor]}}}. */
public final class Envelopes {
    private Envelopes() {
    }

    public static Map<String, Object> success(Object data, String requestId) {
        if (data instanceof Page<?> page) {
            Map<String, Object> meta = meta(requestId);
            meta.put("next_cursor", page.nextCursor());
            return envelope(page.items(), null, meta);
        }
        return envelope(data, null, meta(requestId));
    }

    /** The error envelope; messages and details may quote what the caller sent, but never a key. */
    public static Map<String, Object> error(ApiException e, String requestId) {
        Map<String, Object> error = errorOf(e);
        e.details().forEach((name, value) -> error.put(name, KeyRedaction.redactAll(value)));
        return envelope(null, error, meta(requestId));
    }

    /** The error envelope with the code, status and message only: for when the details cannot be written. */
    public static Map<String, Object> plainError(ApiException e, String requestId) {
        return envelope(null, errorOf(e), meta(requestId));
    }

    private static Map<String, Object> errorOf(ApiException e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", e.code());
        error.put("status", e.status());
        error.put("message", KeyRedaction.redact(e.getMessage()));
        return error;
    }

    /**
     * The success envelope around data that is already JSON text, as text (whoami's fast path
     * builds no tree). Request ids hold only {@code [A-Za-z0-9._-]} ({@link HttpEdge}): nothing to escape.
     */
    public static String successJson(String dataJson, String requestId) {
        return "{\"data\":" + dataJson + ",\"error\":null,\"meta\":{\"request_id\":\"" + requestId
                + "\",\"timestamp\":\"" + timestamp() + "\"}}";
    }

    /** A stored envelope answered again (an idempotent replay): its meta gets this request's id and the time now. */
    public static void restamp(Map<String, Object> envelope, String requestId) {
        Map<String, Object> meta = new LinkedHashMap<>();
        if (envelope.get("meta") instanceof Map<?, ?> stored) {
            stored.forEach((name, value) -> meta.put(String.valueOf(name), value));
        }
        meta.putAll(meta(requestId));
        envelope.put("meta", meta);
    }

    public static boolean isEnvelope(Object entity) {
        return entity instanceof Map<?, ?> map && map.size() == 3 && map.containsKey("data")
                && map.containsKey("error") && map.get("meta") instanceof Map;
    }

    private static Map<String, Object> envelope(Object data, Object error, Map<String, Object> meta) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("data", data);
        envelope.put("error", error);
        envelope.put("meta", meta);
        return envelope;
    }

    private static Map<String, Object> meta(String requestId) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("request_id", requestId);
        meta.put("timestamp", timestamp());
        return meta;
    }

    private record Stamp(long second, String text) {
    }

    private static volatile Stamp stamp = new Stamp(0, "");

    /** The current UTC time to the second, ISO-8601 ({@code 2026-03-02T10:00:00Z}), formatted once per second. */
    public static String timestamp() {
        long second = System.currentTimeMillis() / 1000;
        Stamp current = stamp;
        if (current.second() != second) {
            current = new Stamp(second, Instant.ofEpochSecond(second).toString());
            stamp = current;
        }
        return current.text();
    }
}
