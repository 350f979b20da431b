package dev.postgate.common.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.postgate.common.keys.KeyMode;

/** A verified, usable API key as the consuming services see it (never the key itself). */
public record KeyIdentity(String id, String name, String orgId, Set<String> scopes, List<String> workspaceIds,
        KeyMode mode, Instant expiresAt) {

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    /** The workspaces the key is limited to; none (null or empty {@code workspace_ids}) when it may use all its organisation's. */
    public Optional<List<String>> limitedTo() {
        return workspaceIds == null || workspaceIds.isEmpty() ? Optional.empty() : Optional.of(workspaceIds);
    }

    public boolean mayUseWorkspace(String workspaceId) {
        return limitedTo().map(limit -> limit.contains(workspaceId)).orElse(true);
    }
}
