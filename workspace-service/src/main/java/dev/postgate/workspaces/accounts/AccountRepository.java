package dev.postgate.workspaces.accounts;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import dev.postgate.common.api.PageRequest;
import dev.postgate.workspaces.workspaces.WorkspaceAccess;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class AccountRepository implements PanacheRepositoryBase<SocialAccount, String> {
    private static final String CONNECTED = "disconnectedAt is null";

    /** A page of the connected accounts in the workspaces the caller may use, newest first. */
    public Uni<List<SocialAccount>> page(WorkspaceAccess access, PageRequest page) {
        StringBuilder query = new StringBuilder(CONNECTED + " and " + access.inWorkspaces("workspaceId"));
        Parameters params = access.parameters();
        return page.newestFirst(this, query.toString(), params);
    }

    /** A connected account in a workspace the caller may use, or null. */
    public Uni<SocialAccount> findVisible(WorkspaceAccess access, String id) {
        return find("id = :id and " + CONNECTED + " and " + access.inWorkspaces("workspaceId"),
                access.parameters().and("id", id)).firstResult();
    }

    /** Locks a connected account of a workspace of the organisation, or null. */
    public Uni<SocialAccount> lockConnected(String orgId, String workspaceId, String id) {
        return find("id = :id and orgId = :org and workspaceId = :ws and " + CONNECTED,
                Parameters.with("id", id).and("org", orgId).and("ws", workspaceId))
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** The connected accounts of one workspace among {@code ids}. */
    public Uni<List<SocialAccount>> connectedAmong(String workspaceId, List<String> ids) {
        return find("workspaceId = :ws and id in :ids and " + CONNECTED + " order by id desc",
                Parameters.with("ws", workspaceId).and("ids", ids)).list();
    }

    /** Every connected account of one workspace. */
    public Uni<List<SocialAccount>> connected(String workspaceId) {
        return find("workspaceId = :ws and " + CONNECTED + " order by id desc", Parameters.with("ws", workspaceId)).list();
    }
}
