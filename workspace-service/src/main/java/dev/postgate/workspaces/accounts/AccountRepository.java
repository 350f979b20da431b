package dev.postgate.workspaces.accounts;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import dev.postgate.common.api.PageRequest;
import dev.postgate.common.db.EntityRows;
import dev.postgate.workspaces.workspaces.WorkspaceAccess;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

@ApplicationScoped
public class AccountRepository implements PanacheRepositoryBase<SocialAccount, String> {
    private static final String CONNECTED = "disconnectedAt is null";

    @Inject
    Pool pool;

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

    /**
     * The connected accounts of a workspace among {@code ids} (all of them when null), none for a
     * deleted workspace, null for an unknown one. One plain statement (issue 13): publish-service
     * asks this for every publish, and Hibernate Reactive's session work was most of its cost.
     */
    public Uni<List<SocialAccount>> connectedAmong(String workspaceId, List<String> ids) {
        return pool.preparedQuery("""
                select a.*
                from workspaces w
                left join social_accounts a on a.workspace_id = w.id and w.deleted_at is null and a.disconnected_at is null
                                               and ($2::text[] is null or a.id = any($2::text[]))
                where w.id = $1
                order by a.id desc""")
                .execute(Tuple.of(workspaceId, ids == null ? null : ids.toArray(String[]::new)))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    List<SocialAccount> connected = new ArrayList<>();
                    for (Row row : rows) {
                        if (row.getString("id") != null) {
                            connected.add(EntityRows.read(row, SocialAccount.class));
                        }
                    }
                    return connected;
                });
    }
}
