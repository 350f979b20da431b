package dev.postgate.keyclient;

import java.time.Instant;

import dev.postgate.common.auth.KeyIdentity;
import dev.postgate.common.keys.KeyStatus;

/**
 * What key-service said about a key, as cached: usable (with the key's identity), revoked,
 * expired, or unknown. {@code seq} orders answers against key events.
 */
public record KeyVerdict(Kind kind, KeyIdentity identity, String keyId, long seq, Instant expiresAt) {
    public enum Kind { USABLE, REVOKED, EXPIRED, UNKNOWN }

    public static KeyVerdict usable(KeyIdentity identity, long seq) {
        return new KeyVerdict(Kind.USABLE, identity, identity.id(), seq, identity.expiresAt());
    }

    public static KeyVerdict refused(Kind kind, String keyId, long seq, Instant expiresAt) {
        return new KeyVerdict(kind, null, keyId, seq, expiresAt);
    }

    public static KeyVerdict unknown() {
        return new KeyVerdict(Kind.UNKNOWN, null, null, 0, null);
    }

    /** The verdict at {@code now}: a usable key past its expiry is expired, whatever the cache says. */
    public KeyVerdict at(Instant now) {
        if (kind == Kind.USABLE && KeyStatus.hasExpired(expiresAt, now)) {
            return refused(Kind.EXPIRED, keyId, seq, expiresAt);
        }
        return this;
    }
}
