package dev.postgate.workspaces.accounts;

import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

import dev.postgate.common.api.Ids;
import dev.postgate.common.api.Page;
import dev.postgate.common.api.PageQuery;
import dev.postgate.common.api.PageRequest;
import dev.postgate.common.auth.ApiKeyAccess;
import dev.postgate.common.auth.ApiKeyAccess.WorkspaceRule;
import dev.postgate.common.auth.Caller;
import dev.postgate.common.keys.Scopes;
import dev.postgate.workspaces.accounts.AccountViews.AccountView;
import io.smallrye.mutiny.Uni;

/** Connected social accounts as API clients read them: one workspace (X-Workspace-Id) or all the key may use. */
@Path("/api/v1/accounts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Social accounts")
public class AccountResource {
    @Inject
    AccountService service;

    @Inject
    Caller caller;

    @GET
    @ApiKeyAccess(scope = Scopes.ACCOUNT_READ, workspace = WorkspaceRule.OPTIONAL)
    @Operation(summary = "List connected accounts, newest first")
    public Uni<Page<AccountView>> list(@BeanParam PageQuery query) {
        PageRequest page = query.page(Ids.ACCOUNT, caller.workspaceId());
        return service.list(caller, page).map(p -> p.map(AccountView::of));
    }

    @GET
    @Path("/{id}")
    @ApiKeyAccess(scope = Scopes.ACCOUNT_READ, workspace = WorkspaceRule.OPTIONAL)
    @Operation(summary = "A connected account")
    public Uni<AccountView> get(@RestPath String id) {
        return service.get(caller, id).map(AccountView::of);
    }
}
