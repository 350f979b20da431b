package dev.postgate.publish.generation;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.hibernate.LockMode;

import dev.postgate.common.api.PageRequest;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class GenerationRepository implements PanacheRepositoryBase<Generation, String> {

    /** A generation of this kind in the workspace whose output exists (unfinished and failed ones are not shown). */
    public Uni<Generation> findSucceeded(String orgId, String workspaceId, GenerationKind kind, String id) {
        return find("id = :id and orgId = :org and workspaceId = :ws and kind = :kind and state in ('settling', 'succeeded')",
                Parameters.with("id", id).and("org", orgId).and("ws", workspaceId).and("kind", kind.wire())).firstResult();
    }

    public Uni<List<Generation>> page(String orgId, String workspaceId, GenerationKind kind, PageRequest page) {
        String query = "orgId = :org and workspaceId = :ws and kind = :kind and state in ('settling', 'succeeded')"
                + (page.afterId() == null ? "" : " and id < :after") + " order by id desc";
        Parameters params = Parameters.with("org", orgId).and("ws", workspaceId).and("kind", kind.wire());
        if (page.afterId() != null) {
            params.and("after", page.afterId());
        }
        return find(query, params).page(0, page.fetchSize()).list();
    }

    public Uni<Generation> lockOwned(String id, String leaseToken) {
        return find("id = :id and leaseToken = :token", Parameters.with("id", id).and("token", leaseToken))
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** Generations left unfinished past their lease (the instance died mid-request), locked; others' rows skipped (SKIP LOCKED). */
    public Uni<List<Generation>> lockAbandoned(Instant now, int max) {
        return Panache.getSession().chain(session -> session.createSelectionQuery(
                "from Generation where state in ('reserving', 'generating', 'settling', 'refunding') and leaseUntil < :now order by leaseUntil",
                Generation.class)
                .setParameter("now", now)
                .setLockMode(LockMode.UPGRADE_SKIPLOCKED)
                .setMaxResults(max)
                .getResultList());
    }
}
