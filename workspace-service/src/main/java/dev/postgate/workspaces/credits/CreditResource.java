package dev.postgate.workspaces.credits;

import static dev.postgate.common.validation.Violations.BODY_REQUIRED;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
import dev.postgate.common.auth.Caller;
import dev.postgate.common.auth.DashboardAccess;
import dev.postgate.common.auth.Role;
import dev.postgate.common.http.Headers;
import dev.postgate.workspaces.credits.CreditViews.BalanceView;
import dev.postgate.workspaces.credits.CreditViews.GrantRequest;
import dev.postgate.workspaces.credits.CreditViews.LedgerEntryView;
import io.smallrye.mutiny.Uni;

/** A workspace's credits for dashboard users: admins grant, members read the ledger. */
@Cancellable(false)
@Path("/api/v1/workspaces/{workspaceId}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Credits")
public class CreditResource {
    @Inject
    CreditService service;

    @Inject
    Caller caller;

    @POST
    @Answers(201)
    @Path("/credits/grants")
    @Consumes(MediaType.APPLICATION_JSON)
    @DashboardAccess(Role.ADMIN)
    @Operation(summary = "Add credits to a workspace; with an Idempotency-Key a grant is applied once")
    public Uni<RestResponse<BalanceView>> grant(@RestPath String workspaceId,
            @Valid @NotNull(message = BODY_REQUIRED) GrantRequest body,
            @HeaderParam(Headers.IDEMPOTENCY_KEY) String idempotencyKey) {
        return service.grant(caller, workspaceId, body, idempotencyKey)
                .map(balance -> RestResponse.status(RestResponse.Status.CREATED, balance));
    }

    @GET
    @Path("/ledger")
    @DashboardAccess(Role.MEMBER)
    @Operation(summary = "The workspace's credit ledger, newest first")
    public Uni<Page<LedgerEntryView>> ledger(@RestPath String workspaceId, @BeanParam PageQuery query) {
        PageRequest page = query.page(Ids.LEDGER_ENTRY, workspaceId);
        return service.ledger(caller, workspaceId, page).map(p -> p.map(LedgerEntryView::of));
    }
}
