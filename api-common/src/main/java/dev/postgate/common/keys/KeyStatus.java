package dev.postgate.common.keys;

/**
 * A key's status (SPEC section 2) as key-service stores and answers it, and as its verify answer
 * tells the consuming services: only an active key is usable.
 */
public final class KeyStatus {
    public static final String ACTIVE = "active";
    public static final String REVOKED = "revoked";
    public static final String EXPIRED = "expired";

    private KeyStatus() {
    }
}
