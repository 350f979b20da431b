package dev.postgate.common.http;

/** The names of the headers SPEC defines for Postgate's own use, written once for the code that reads, writes and documents them. */
public final class Headers {
    private Headers() {
    }

    public static final String REQUEST_ID = "X-Request-Id";
    public static final String WORKSPACE = "X-Workspace-Id";
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    public static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";
    public static final String CREDITS_COST = "X-Credits-Cost";
    public static final String CREDITS_REMAINING = "X-Credits-Remaining";
    public static final String RATE_LIMIT_LIMIT = "X-RateLimit-Limit";
    public static final String RATE_LIMIT_REMAINING = "X-RateLimit-Remaining";
    public static final String RATE_LIMIT_RESET = "X-RateLimit-Reset";
    /** The API key's own header, the other way to send a key than {@code Authorization: Bearer} (SPEC section 2). */
    public static final String API_KEY = "x-api-key";
}
