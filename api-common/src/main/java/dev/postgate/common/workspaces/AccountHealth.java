package dev.postgate.common.workspaces;

/**
 * A connected social account's {@code health} as workspace-service stores and answers it, and as
 * publish-service reads it: a disconnected account cannot be posted to; one that needs
 * re-authorisation is tried (the platform decides).
 */
public final class AccountHealth {
    public static final String HEALTHY = "healthy";
    public static final String NEEDS_REAUTH = "needs_reauth";
    public static final String DISCONNECTED = "disconnected";

    private AccountHealth() {
    }
}
