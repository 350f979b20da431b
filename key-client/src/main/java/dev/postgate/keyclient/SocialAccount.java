package dev.postgate.keyclient;

import dev.postgate.common.workspaces.AccountHealth;

/** A connected social account of a workspace, as workspace-service describes it. */
public record SocialAccount(String id, String workspaceId, String platform, String name, String health) {
    /** {@code disconnected} accounts cannot be posted to; {@code needs_reauth} ones are tried (the platform decides). */
    public boolean connected() {
        return !AccountHealth.DISCONNECTED.wire().equals(health);
    }
}
