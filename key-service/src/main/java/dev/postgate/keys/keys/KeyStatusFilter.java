package dev.postgate.keys.keys;

import dev.postgate.common.api.QueryFilters;
import dev.postgate.common.wire.WireName;

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

    /** {@code ?status=}: null for every key; 400 for a value that is not a status. */
    public static KeyStatusFilter parse(String value) {
        return QueryFilters.of(KeyStatusFilter.class, "status", value);
    }
}
