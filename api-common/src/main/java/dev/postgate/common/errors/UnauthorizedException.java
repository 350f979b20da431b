package dev.postgate.common.errors;

import dev.postgate.common.wire.WireName;

/** 401 UNAUTHORIZED with {@code reason}: missing, malformed, invalid, revoked or expired. */
public class UnauthorizedException extends ApiException {
    public enum Reason implements WireName { MISSING, MALFORMED, INVALID, REVOKED, EXPIRED }

    private final Reason reason;

    public UnauthorizedException(Reason reason, String message) {
        super(401, "UNAUTHORIZED", message);
        this.reason = reason;
        detail("reason", reason.wire());
    }

    public Reason reason() {
        return reason;
    }

    /** A JWT sent to a path that takes API keys only. */
    public static UnauthorizedException jwtWhereApiKey() {
        return new UnauthorizedException(Reason.INVALID, "This path takes an API key, not a JWT.");
    }

    /** No credential; the message says which kind this path takes. */
    public static UnauthorizedException missing(boolean apiKey, boolean dashboard, boolean service) {
        String expected = service ? "a service token as 'Authorization: Bearer <jwt>'"
                : apiKey && dashboard ? "an API key ('Authorization: Bearer <key>' or 'x-api-key: <key>') or a dashboard token"
                : dashboard ? "a dashboard token as 'Authorization: Bearer <jwt>'"
                : "an API key as 'Authorization: Bearer <key>' or 'x-api-key: <key>'";
        return new UnauthorizedException(Reason.MISSING, "No credential was sent. Send " + expected + ".");
    }
}
