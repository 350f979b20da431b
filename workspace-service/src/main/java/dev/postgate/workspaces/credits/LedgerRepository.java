package dev.postgate.workspaces.credits;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.postgate.common.api.PageRequest;
import dev.postgate.common.db.Literals;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class LedgerRepository implements PanacheRepositoryBase<LedgerEntry, String> {

    /**
     * A page of a workspace's ledger, newest first: in the order the entries changed the balance
     * ({@link LedgerEntry#seq}), not by id; the cursor names the last entry shown.
     */
    public Uni<List<LedgerEntry>> page(String workspaceId, PageRequest page) {
        String query = "workspaceId = :ws";
        Parameters params = Parameters.with("ws", workspaceId);
        if (page.afterId() != null) {
            query += " and seq < (select e.seq from LedgerEntry e where e.id = :after)";
            params.and("after", page.afterId());
        }
        return find(query + " order by seq desc", params).page(0, page.fetchSize()).list();
    }

    /** The grant made with this Idempotency-Key in this workspace, or null. */
    public Uni<LedgerEntry> findGrant(String workspaceId, String idempotencyKey) {
        return find("workspaceId = :ws and kind = " + Literals.of(LedgerKind.GRANT) + " and idempotencyKey = :key",
                Parameters.with("ws", workspaceId).and("key", idempotencyKey)).firstResult();
    }
}
