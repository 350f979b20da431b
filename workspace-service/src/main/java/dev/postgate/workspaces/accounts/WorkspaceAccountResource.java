package dev.postgate.workspaces.accounts;

import static dev.postgate.common.validation.Violations.BODY_REQUIRED;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.Cancellable;

import dev.postgate.common.api.Answers;
import dev.postgate.common.auth.Caller;
import dev.postgate.common.auth.DashboardAccess;
import dev.postgate.common.auth.Role;
import dev.postgate.workspaces.accounts.AccountViews.AccountView;
import dev.postgate.workspaces.accounts.AccountViews.ConnectAccountRequest;
import io.smallrye.mutiny.Uni;

/** Connecting and disconnecting a workspace's social accounts (dashboard admins). */
@Cancellable(false)
@Path("/api/v1/workspaces/{workspaceId}/accounts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Social accounts")
public class WorkspaceAccountResource {
    @Inject
    AccountService service;

    @Inject
    Caller caller;

    @POST
    @Answers(value = 201, location = "/api/v1/accounts/{id}")
    @DashboardAccess(Role.ADMIN)
    @Operation(summary = "Connect a social account to a workspace")
    public Uni<RestResponse<AccountView>> connect(@RestPath String workspaceId,
            @Valid @NotNull(message = BODY_REQUIRED) ConnectAccountRequest request) {
        return service.connect(caller, workspaceId, request)
                .map(a -> RestResponse.status(RestResponse.Status.CREATED, AccountView.of(a)));
    }

    @DELETE
    @Path("/{accountId}")
    @DashboardAccess(Role.ADMIN)
    @Operation(summary = "Disconnect a social account (answers it with health 'disconnected')")
    public Uni<AccountView> disconnect(@RestPath String workspaceId, @RestPath String accountId) {
        return service.disconnect(caller, workspaceId, accountId).map(AccountView::of);
    }
}
