package dev.postgate.workspaces.workspaces;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.postgate.keyclient.WorkspaceDirectory;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Workspace facts for the API-key checks of this service, read from its own database: always
 * current (no cache to keep fresh), so a deleted workspace is refused here the moment its
 * deletion commits. Replaces key-client's default, which asks workspace-service over HTTP.
 */
@ApplicationScoped
public class LocalWorkspaceDirectory implements WorkspaceDirectory {
    @Inject
    WorkspaceRepository workspaces;

    @Override
    public Uni<WorkspaceFact> find(String workspaceId) {
        return Panache.withSession(() -> workspaces.findById(workspaceId))
                .map(w -> w == null ? null : new WorkspaceFact(w.id, w.orgId, w.deleted()));
    }
}
