package dev.postgate.workspaces.workspaces;


import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

import dev.postgate.common.auth.ServiceAccess;
import dev.postgate.workspaces.workspaces.WorkspaceViews.WorkspaceFactView;
import io.smallrye.mutiny.Uni;

/** SPEC section 7: workspace facts for key-client and publish-service (service JWT only). */
@Path("/internal/v1/workspaces")
@Produces(MediaType.APPLICATION_JSON)
@ServiceAccess
@Tag(name = "Internal")
public class InternalWorkspaceResource {
    @Inject
    WorkspaceService workspaces;

    @GET
    @Path("/{id}")
    @Operation(summary = "Owner and deletion state of a workspace (deleted ones included; 404 only if it never existed)")
    public Uni<WorkspaceFactView> get(@RestPath String id) {
        return workspaces.fact(id)
                .onItem().ifNull().failWith(() -> WorkspaceService.notFound(id))
                .map(w -> new WorkspaceFactView(w.id, w.orgId, w.deleted(), w.balance));
    }
}
