package dev.postgate.common.workspaces;

import dev.postgate.common.wire.WireName;

/**
 * A connected social account's {@code health} as workspace-service stores and answers it, and as
 * publish-service reads it: a disconnected account cannot be posted to; one that needs
 * re-authorisation is tried (the platform decides).
 */
public enum AccountHealth implements WireName {
    HEALTHY, NEEDS_REAUTH, DISCONNECTED
}
