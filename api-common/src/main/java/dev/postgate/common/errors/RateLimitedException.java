package dev.postgate.common.errors;

import java.util.Map;

/** 429 RATE_LIMITED with a {@code Retry-After} header. */
public class RateLimitedException extends ApiException {
    private final RetryAfter retryAfter;

    public RateLimitedException(long limit, RetryAfter retryAfter) {
        this("This API key made more than " + limit + " requests in a minute on this instance. " + retryAfter.sentence() + ".",
                retryAfter);
    }

    /** {@code message} ends with {@link RetryAfter#sentence()}, so that the text and the header agree. */
    public RateLimitedException(String message, RetryAfter retryAfter) {
        super(429, "RATE_LIMITED", message);
        this.retryAfter = retryAfter;
    }

    @Override
    public Map<String, String> headers() {
        return retryAfter.header();
    }
}
