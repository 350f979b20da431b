package dev.postgate.common.keys;

import java.time.Instant;

import dev.postgate.common.wire.WireName;
import dev.postgate.common.wire.WireNames;

/**
 * A key's status (SPEC section 2) as key-service stores and answers it, and as its verify answer
 * tells the consuming services: only an active key is usable.
 */
public enum KeyStatus implements WireName {
    ACTIVE, REVOKED, EXPIRED;

    /** The status written {@code wire}, or null when it is none of these (an answer this service cannot read). */
    public static KeyStatus find(String wire) {
        return WireNames.find(KeyStatus.class, wire);
    }

    /**
     * Whether a key with this {@code expiresAt} (null: never) has expired at {@code now}: from its
     * expiry instant on, as key-service's queries ({@code expiresAt <= :now}) and every cache hold it.
     */
    public static boolean hasExpired(Instant expiresAt, Instant now) {
        return expiresAt != null && !expiresAt.isAfter(now);
    }

    /** The status as stored. */
    public static KeyStatus of(String wire) {
        return WireNames.of(KeyStatus.class, wire);
    }
}
