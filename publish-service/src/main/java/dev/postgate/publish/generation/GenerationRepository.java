package dev.postgate.publish.generation;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.postgate.common.api.PageRequest;
import dev.postgate.common.db.DueRows;
import dev.postgate.common.db.Literals;
import dev.postgate.common.time.Instants;
import dev.postgate.publish.lease.Leased;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

@ApplicationScoped
public class GenerationRepository implements PanacheRepositoryBase<Generation, String> {
    @Inject
    Pool pool;

    /**
     * A new generation, one statement (issue 13: the request path of a generation runs on plain
     * statements, as Hibernate Reactive's session work was the larger part of its CPU).
     */
    public Uni<Void> insert(Generation g) {
        return pool.preparedQuery("""
                insert into generations (id, org_id, workspace_id, kind, prompt, style, width, height, state, text, media_id,
                                         credits, test_mode, reservation_id, error, lease_until, lease_token, created_by,
                                         created_at, updated_at)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)""")
                .execute(Tuple.from(new Object[] {g.id, g.orgId, g.workspaceId, g.kind, g.prompt, g.style, g.width, g.height,
                        g.state, g.text, g.mediaId, g.credits, g.testMode, g.reservationId, g.error, Instants.utc(g.leaseUntil),
                        g.leaseToken, g.createdBy, Instants.utc(g.createdAt), Instants.utc(g.updatedAt)}))
                .replaceWithVoid();
    }

    /**
     * Writes the changing fields of {@code g} (state, output, reservation, error, lease) if the
     * row is still held under {@code ownerToken}: whether it was.
     */
    public Uni<Boolean> updateOwned(Generation g, String ownerToken) {
        return pool.preparedQuery("""
                update generations set state = $3, text = $4, media_id = $5, reservation_id = $6, error = $7,
                                       lease_until = $8, lease_token = $9, updated_at = $10
                where id = $1 and lease_token = $2""")
                .execute(Tuple.from(new Object[] {g.id, ownerToken, g.state, g.text, g.mediaId, g.reservationId, g.error,
                        Instants.utc(g.leaseUntil), g.leaseToken, Instants.utc(g.updatedAt)}))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Deletes the generation if it is still held under {@code ownerToken}. */
    public Uni<Void> deleteOwned(String id, String ownerToken) {
        return pool.preparedQuery("delete from generations where id = $1 and lease_token = $2").execute(Tuple.of(id, ownerToken))
                .replaceWithVoid();
    }

    /** A generation of this kind in the workspace whose output exists (unfinished and failed ones are not shown). */
    public Uni<Generation> findSucceeded(String orgId, String workspaceId, GenerationKind kind, String id) {
        return find("id = :id and orgId = :org and workspaceId = :ws and kind = :kind and state in :shown",
                Parameters.with("id", id).and("org", orgId).and("ws", workspaceId).and("kind", kind.wire())
                        .and("shown", GenerationState.withOutput())).firstResult();
    }

    public Uni<List<Generation>> page(String orgId, String workspaceId, GenerationKind kind, PageRequest page) {
        return page.newestFirst(this, "orgId = :org and workspaceId = :ws and kind = :kind and state in :shown",
                Parameters.with("org", orgId).and("ws", workspaceId).and("kind", kind.wire()).and("shown", GenerationState.withOutput()));
    }

    public Uni<Generation> lockHeld(String id, String leaseToken) {
        return Leased.lockHeld(this, id, leaseToken);
    }

    /** The worker's query; the states are written into it ({@link Literals}) for the partial index {@code generations_unfinished}. */
    static final String LOCK_ABANDONED = "from Generation where state in " + Literals.list(GenerationState.unfinished())
            + " and leaseUntil < :now order by leaseUntil";

    /** Generations left unfinished past their lease (the instance died mid-request), locked; others' rows skipped ({@link DueRows}). */
    public Uni<List<Generation>> lockAbandoned(Instant now, int max) {
        return DueRows.lock(Generation.class, LOCK_ABANDONED, now, max);
    }
}
