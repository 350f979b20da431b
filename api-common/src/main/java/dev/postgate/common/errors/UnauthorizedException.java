package dev.postgate.common.errors;

/** 401 UNAUTHORIZED with {@code reason}: missing, malformed, invalid, revoked or expired. */
public class UnauthorizedException extends ApiException {
    public enum Reason { MISSING, MALFORMED, INVALID, REVOKED, EXPIRED }

    private final Reason reason;

    public UnauthorizedException(Reason reason, String message) {
        super(401, "UNAUTHORIZED", message);
        this.reason = reason;
        detail("reason", reason.name().toLowerCase());
    }

    public Reason reason() {
        return reason;
    }

    public static UnauthorizedException missing() {
        return new UnauthorizedException(Reason.MISSING,
                "No credential was sent. Send an API key as 'Authorization: Bearer <key>' or 'x-api-key: <key>'.");
    }
}
