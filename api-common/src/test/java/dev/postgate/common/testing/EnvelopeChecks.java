package dev.postgate.common.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.response.Response;

/**
 * Assertions on the SPEC section 4 envelope, {@code {data, error, meta: {request_id, timestamp}}},
 * for any answer of {@code /api/v1} or {@code /internal/v1}, success or error.
 */
public final class EnvelopeChecks {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern ERROR_CODE = Pattern.compile("[A-Z][A-Z0-9_]*");
    /** What a leaked exception would look like in a message. */
    private static final Pattern LEAK = Pattern.compile("Exception|\\bat [a-z]+\\.[a-z]+\\.|java\\.|jakarta\\.|io\\.quarkus|org\\.hibernate|SQLState");

    private EnvelopeChecks() {
    }

    /** {@code data} of an envelope (an object), checking the envelope on the way. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> data(Response response) {
        return (Map<String, Object>) envelope(response).get("data");
    }

    /** {@code data} of a list's envelope. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> list(Response response) {
        return (List<Map<String, Object>>) envelope(response).get("data");
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> meta(Response response) {
        return (Map<String, Object>) envelope(response).get("meta");
    }

    /** The field names of a 422's {@code error.fields}. */
    @SuppressWarnings("unchecked")
    public static List<String> fieldsOf(Map<String, Object> error) {
        return ((List<Map<String, Object>>) error.get("fields")).stream().map(f -> (String) f.get("field")).toList();
    }

    public static long number(Object value) {
        return ((Number) value).longValue();
    }

    public static List<String> ids(List<Map<String, Object>> items) {
        return items.stream().map(i -> (String) i.get("id")).toList();
    }

    /** Asserts the body is an envelope consistent with the status and X-Request-Id; returns it parsed. */
    public static Map<String, Object> envelope(Response response) {
        String body = response.asString();
        String contentType = response.contentType();
        assertTrue(contentType != null && contentType.startsWith("application/json"),
                () -> "not JSON (" + contentType + "): " + response.statusCode() + " " + body);
        Map<String, Object> envelope;
        try {
            envelope = JSON.readValue(body, new TypeReference<Map<String, Object>>() {
            });
        } catch (JsonProcessingException e) {
            throw new AssertionError("not a JSON object: " + body, e);
        }
        assertEquals(Set.of("data", "error", "meta"), envelope.keySet(), () -> "envelope fields of " + body);
        Map<String, Object> meta = map(envelope.get("meta"), "meta", body);
        String requestId = (String) meta.get("request_id");
        assertNotNull(requestId, () -> "meta.request_id missing: " + body);
        assertTrue(REQUEST_ID.matcher(requestId).matches(), () -> "bad meta.request_id: " + body);
        assertEquals(response.header("X-Request-Id"), requestId, "X-Request-Id header and meta.request_id differ");
        assertNotNull(meta.get("timestamp"), () -> "meta.timestamp missing: " + body);
        Instant.parse((String) meta.get("timestamp"));
        int status = response.statusCode();
        assertTrue(status < 500, () -> "server error " + status + ": " + body);
        if (status >= 400) {
            assertNull(envelope.get("data"), () -> "an error carries no data: " + body);
            Map<String, Object> error = map(envelope.get("error"), "error", body);
            assertEquals(status, ((Number) error.get("status")).intValue(), () -> "error.status: " + body);
            String code = (String) error.get("code");
            assertTrue(code != null && ERROR_CODE.matcher(code).matches(), () -> "error.code: " + body);
            String message = (String) error.get("message");
            assertTrue(message != null && !message.isBlank(), () -> "error.message: " + body);
            assertFalse(LEAK.matcher(message).find(), () -> "error.message leaks internals: " + body);
        } else {
            assertNull(envelope.get("error"), () -> "a success carries no error: " + body);
        }
        return envelope;
    }

    /** Asserts an error envelope with this status and code; returns {@code error}. */
    public static Map<String, Object> error(Response response, int status, String code) {
        assertEquals(status, response.statusCode(), () -> "status of " + response.asString());
        Map<String, Object> envelope = envelope(response);
        Map<String, Object> error = map(envelope.get("error"), "error", response.asString());
        assertEquals(code, error.get("code"), () -> "error.code of " + response.asString());
        return error;
    }

    /** Asserts 401 UNAUTHORIZED with this {@code error.reason}. */
    public static Map<String, Object> unauthorized(Response response, String reason) {
        Map<String, Object> error = error(response, 401, "UNAUTHORIZED");
        assertEquals(reason, error.get("reason"), () -> "error.reason of " + response.asString());
        return error;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String name, String body) {
        assertInstanceOf(Map.class, value, () -> name + " is not an object: " + body);
        return (Map<String, Object>) value;
    }
}
