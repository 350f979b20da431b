package dev.postgate.common.errors;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The root of Postgate's error hierarchy: an HTTP status, a SPEC error code, a message for people
 * and the code-specific fields of the SPEC (reason, required_scope, fields, required, balance…).
 * {@link ErrorMapper} turns every one into the error envelope; messages never carry secrets.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, Object> details = new LinkedHashMap<>();

    public ApiException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    protected ApiException detail(String name, Object value) {
        details.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, Object> details() {
        return Collections.unmodifiableMap(details);
    }

    /** Extra response headers (Retry-After…). */
    public Map<String, String> headers() {
        return Map.of();
    }
}
