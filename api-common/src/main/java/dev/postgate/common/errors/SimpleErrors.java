package dev.postgate.common.errors;

import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.core.HttpHeaders;

/** The errors that carry nothing but a status, a code and a message. */
public final class SimpleErrors {
    static final String PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE";
    public static final String UNAVAILABLE = "UNAVAILABLE";

    private SimpleErrors() {
    }

    public static ApiException workspaceRequired() {
        return new ApiException(400, "WORKSPACE_REQUIRED",
                "This path is workspace-scoped: send the workspace id in the X-Workspace-Id header.");
    }

    /** 413 naming the limit, or the path's limit in words when it is not known ({@code limitBytes} below 0). */
    public static ApiException payloadTooLarge(long limitBytes) {
        return payloadTooLarge(limitBytes < 0 ? "The body is larger than this path takes."
                : "The body is larger than the limit of " + limitBytes + " bytes.");
    }

    public static ApiException payloadTooLarge(String message) {
        return new ApiException(413, PAYLOAD_TOO_LARGE, message);
    }

    public static ApiException notAcceptable(String message) {
        return new ApiException(406, "NOT_ACCEPTABLE", message);
    }

    /** 408 REQUEST_TIMEOUT: a body that did not arrive in the time allowed (a stalled upload). */
    public static ApiException requestTimeout(String message) {
        return new ApiException(408, "REQUEST_TIMEOUT", message);
    }

    public static ApiException unsupportedMediaType(String message) {
        return new ApiException(415, "UNSUPPORTED_MEDIA_TYPE", message);
    }

    public static ApiException unavailable(String message) {
        return new ApiException(503, UNAVAILABLE, message);
    }

    /** 503 UNAVAILABLE with a Retry-After: a bound that frees up shortly. {@code message} ends with {@link RetryAfter#sentence()}. */
    public static ApiException unavailable(String message, RetryAfter retryAfter) {
        return new ApiException(503, UNAVAILABLE, message) {
            @Override
            public Map<String, String> headers() {
                return retryAfter.header();
            }
        };
    }

    /**
     * 405 METHOD_NOT_ALLOWED; {@code allow} is the path's {@code Allow} value ("GET, HEAD, POST"), sent
     * as that header and named in the message, or empty for a path no endpoint has.
     */
    public static ApiException methodNotAllowed(String method, Optional<String> allow) {
        String message = "This path does not accept " + method + allow.map(methods -> "; it accepts " + methods).orElse("") + ".";
        return new ApiException(405, "METHOD_NOT_ALLOWED", message) {
            @Override
            public Map<String, String> headers() {
                return allow.map(methods -> Map.of(HttpHeaders.ALLOW, methods)).orElse(Map.of());
            }
        };
    }
}
