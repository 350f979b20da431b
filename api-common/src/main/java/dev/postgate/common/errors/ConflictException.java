package dev.postgate.common.errors;

/** 409: CONFLICT for state conflicts, KEY_LIMIT_REACHED, IDEMPOTENCY_CONFLICT. */
public class ConflictException extends ApiException {
    public ConflictException(String message) {
        super(409, "CONFLICT", message);
    }

    private ConflictException(String code, String message) {
        super(409, code, message);
    }

    public static ConflictException keyLimit(int limit) {
        return new ConflictException("KEY_LIMIT_REACHED",
                "This organisation already has " + limit + " active API keys. Revoke one, or roll an existing key instead.");
    }

    public static ConflictException idempotency(String message) {
        return new ConflictException("IDEMPOTENCY_CONFLICT", message);
    }
}
