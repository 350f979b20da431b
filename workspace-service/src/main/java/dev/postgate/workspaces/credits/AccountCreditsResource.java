package dev.postgate.workspaces.credits;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.postgate.common.auth.ApiKeyAccess;
import dev.postgate.common.auth.ApiKeyAccess.WorkspaceRule;
import dev.postgate.common.auth.Caller;
import dev.postgate.common.keys.Scopes;
import dev.postgate.workspaces.credits.CreditViews.AccountCredits;
import io.smallrye.mutiny.Uni;

/** Credit balances as API clients read them. */
@Path("/api/v1/account/credits")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Credits")
public class AccountCreditsResource {
    @Inject
    CreditService service;

    @Inject
    Caller caller;

    @GET
    @ApiKeyAccess(scope = Scopes.ACCOUNT_READ, workspace = WorkspaceRule.OPTIONAL)
    @Operation(summary = "Balances of the workspaces the key may use (or of the one in X-Workspace-Id) and their total")
    public Uni<AccountCredits> credits() {
        return service.balances(caller);
    }
}
