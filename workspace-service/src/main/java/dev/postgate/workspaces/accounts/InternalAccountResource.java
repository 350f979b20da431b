package dev.postgate.workspaces.accounts;

import java.util.Arrays;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import dev.postgate.common.api.Page;
import dev.postgate.common.auth.ServiceAccess;
import dev.postgate.common.client.InternalLimits;
import dev.postgate.common.errors.ValidationException;
import dev.postgate.workspaces.accounts.AccountViews.AccountView;
import io.smallrye.mutiny.Uni;

/** SPEC section 7: the connected accounts of a workspace, for publish-service's post targets (service JWT only). */
@Path("/internal/v1/workspaces/{id}/accounts")
@Produces(MediaType.APPLICATION_JSON)
@ServiceAccess
@Tag(name = "Internal")
public class InternalAccountResource {
    @Inject
    AccountService accounts;

    @GET
    @Operation(summary = "The connected accounts of the workspace among ?ids=a,b (all of them without ids)")
    public Uni<Page<AccountView>> accounts(@RestPath String id, @RestQuery String ids) {
        // The whole list in one page (next_cursor null): a post's accounts (at most InternalLimits.ACCOUNT_IDS) or a workspace's.
        return accounts.connectedAmong(id, parseIds(ids)).map(list -> Page.whole(list, AccountView::of));
    }

    private static List<String> parseIds(String ids) {
        if (ids == null) {
            return null;
        }
        List<String> parsed = Arrays.stream(ids.split(",")).map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
        if (parsed.size() > InternalLimits.ACCOUNT_IDS) {
            throw ValidationException.badRequest("ids", "ids names at most " + InternalLimits.ACCOUNT_IDS + " accounts.");
        }
        return parsed;
    }
}
