package dev.postgate.keyclient;

import io.smallrye.mutiny.Uni;

/**
 * Facts about workspaces that key checks need: which organisation owns one and whether it was
 * deleted. The default asks workspace-service; workspace-service itself reads its own database.
 */
public interface WorkspaceDirectory {

    record WorkspaceFact(String id, String orgId, boolean deleted) {
    }

    /** The workspace, or null when no such workspace exists. */
    Uni<WorkspaceFact> find(String workspaceId);
}
