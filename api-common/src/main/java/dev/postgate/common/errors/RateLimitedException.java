package dev.postgate.common.errors;

import java.util.Map;

/** 429 RATE_LIMITED with a {@code Retry-After} header (seconds). */
public class RateLimitedException extends ApiException {
    private final long retryAfterSeconds;

    public RateLimitedException(long limit, long retryAfterSeconds) {
        this("This API key made more than " + limit + " requests in a minute on this instance. Retry after "
                + retryAfterSeconds + " seconds.", retryAfterSeconds);
    }

    public RateLimitedException(String message, long retryAfterSeconds) {
        super(429, "RATE_LIMITED", message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("Retry-After", String.valueOf(retryAfterSeconds));
    }
}
