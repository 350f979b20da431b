package dev.postgate.keys.keys;

import dev.postgate.common.api.QueryFilters;
import dev.postgate.common.db.Literals;
import dev.postgate.common.keys.KeyStatus;
import dev.postgate.common.wire.WireName;

/** {@code ?status=} of the key list, by the status callers see (expiry included). */
public enum KeyStatusFilter implements WireName {
    ACTIVE(workingAt("")),
    REVOKED("status = " + Literals.of(KeyStatus.REVOKED)),
    EXPIRED("(status = %s or (%s))".formatted(Literals.of(KeyStatus.EXPIRED), pastExpiry("")));

    private final String condition;

    KeyStatusFilter(String condition) {
        this.condition = condition;
    }

    String condition() {
        return condition;
    }

    /**
     * A key that works at {@code :now}, in JPQL on the entity named by {@code alias} ("" or "k."):
     * active and not past its expiry, what {@link ApiKey#statusAt} calls active.
     */
    static String workingAt(String alias) {
        return "%1$sstatus = %2$s and (%1$sexpiresAt is null or %1$sexpiresAt > :now)".formatted(alias, Literals.of(KeyStatus.ACTIVE));
    }

    /**
     * A key still marked active whose expiry has come by {@code :now} ({@link KeyStatus#hasExpired}):
     * expired to callers, and due for the expiry job. The complement of {@link #workingAt} among
     * active keys.
     */
    static String pastExpiry(String alias) {
        return "%1$sstatus = %2$s and %1$sexpiresAt <= :now".formatted(alias, Literals.of(KeyStatus.ACTIVE));
    }

    /** {@code ?status=}: null for every key; 400 for a value that is not a status. */
    public static KeyStatusFilter parse(String value) {
        return QueryFilters.of(KeyStatusFilter.class, "status", value);
    }
}
