package dev.postgate.keys.keys;

import dev.postgate.common.wire.WireName;
import dev.postgate.common.errors.ValidationException;

/** {@code ?status=} of the key list, by the status callers see (expiry included). */
public enum KeyStatusFilter implements WireName {
    ACTIVE("status = 'active' and (expiresAt is null or expiresAt > :now)"),
    REVOKED("status = 'revoked'"),
    EXPIRED("(status = 'expired' or (status = 'active' and expiresAt <= :now))");

    private final String condition;

    KeyStatusFilter(String condition) {
        this.condition = condition;
    }

    String condition() {
        return condition;
    }

    public static KeyStatusFilter parse(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        KeyStatusFilter filter = WireName.find(KeyStatusFilter.class, value);
        if (filter != null) {
            return filter;
        }
        throw ValidationException.badRequest("status", "status must be one of active, revoked, expired.");
    }
}
