package dev.postgate.workspaces.workspaces;

import static dev.postgate.common.validation.Violations.BODY_REQUIRED;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.Cancellable;

import dev.postgate.common.api.Ids;
import dev.postgate.common.api.Answers;
import dev.postgate.common.api.Page;
import dev.postgate.common.api.PageQuery;
import dev.postgate.common.api.PageRequest;
import dev.postgate.common.auth.ApiKeyAccess;
import dev.postgate.common.auth.Caller;
import dev.postgate.common.auth.DashboardAccess;
import dev.postgate.common.auth.Role;
import dev.postgate.common.keys.Scopes;
import dev.postgate.common.outbox.Outbox;
import dev.postgate.common.outbox.OutboxRelay;
import dev.postgate.workspaces.workspaces.WorkspaceViews.WorkspaceRequest;
import dev.postgate.workspaces.workspaces.WorkspaceViews.WorkspaceView;
import io.smallrye.mutiny.Uni;

/** Workspaces: admins create, rename and delete; members and keys with account:read read. */
@Cancellable(false)
@Path("/api/v1/workspaces")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Workspaces")
public class WorkspaceResource {
    @Inject
    WorkspaceService service;

    @Inject
    OutboxRelay relay;

    @Inject
    Caller caller;

    @POST
    @Answers(value = 201, location = "/api/v1/workspaces/{id}")
    @DashboardAccess(Role.ADMIN)
    @Operation(summary = "Create a workspace (balance 0)")
    public Uni<RestResponse<WorkspaceView>> create(@Valid @NotNull(message = BODY_REQUIRED) WorkspaceRequest request) {
        return service.create(caller, request)
                .invoke(relay::wake)
                .map(w -> RestResponse.status(RestResponse.Status.CREATED, WorkspaceView.of(w)));
    }

    @GET
    @DashboardAccess(Role.MEMBER)
    @ApiKeyAccess(scope = Scopes.ACCOUNT_READ)
    @Operation(summary = "List the workspaces the caller may use, newest first, with their balances")
    public Uni<Page<WorkspaceView>> list(@BeanParam PageQuery query) {
        PageRequest page = query.page(Ids.WORKSPACE);
        return service.list(caller, page).map(p -> p.map(WorkspaceView::of));
    }

    @GET
    @Path("/{id}")
    @DashboardAccess(Role.MEMBER)
    @ApiKeyAccess(scope = Scopes.ACCOUNT_READ)
    @Operation(summary = "A workspace with its balance")
    public Uni<WorkspaceView> get(@RestPath String id) {
        return service.get(caller, id).map(WorkspaceView::of);
    }

    @PATCH
    @Path("/{id}")
    @DashboardAccess(Role.ADMIN)
    @Operation(summary = "Rename a workspace")
    public Uni<WorkspaceView> rename(@RestPath String id, @Valid @NotNull(message = BODY_REQUIRED) WorkspaceRequest request) {
        return service.rename(caller, id, request).map(WorkspaceView::of);
    }

    @DELETE
    @Path("/{id}")
    @DashboardAccess(Role.ADMIN)
    @Operation(summary = "Delete a workspace (keys stop working in it within a second; later reads are 404)")
    public Uni<WorkspaceView> delete(@RestPath String id) {
        Outbox.sendOwnEvents();
        return service.delete(caller, id)
                .call(this::published)
                .map(WorkspaceView::of);
    }

    /** Waits (briefly) until the deletion is on Kafka, so that other services refuse the workspace at once. */
    private Uni<Void> published() {
        return relay.awaitPublished();
    }
}
