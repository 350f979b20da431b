package dev.postgate.common.auth;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import dev.postgate.common.keys.KeyMode;

/** A verified, usable API key as the consuming services see it (never the key itself). */
public record KeyIdentity(String id, String name, String orgId, Set<String> scopes, List<String> workspaceIds,
        KeyMode mode, Instant expiresAt) {

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    /** Null or empty list of workspaces means all the organisation's workspaces. */
    public boolean mayUseWorkspace(String workspaceId) {
        return workspaceIds == null || workspaceIds.isEmpty() || workspaceIds.contains(workspaceId);
    }
}
