package dev.postgate.publish.posts;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import dev.postgate.common.api.PageRequest;
import dev.postgate.common.db.DueRows;
import dev.postgate.common.db.EntityRows;
import dev.postgate.common.db.Literals;
import dev.postgate.publish.lease.Leased;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

@ApplicationScoped
public class PostRepository implements PanacheRepositoryBase<Post, String> {
    private static final String IN_WORKSPACE = "id = :id and orgId = :org and workspaceId = :ws and deletedAt is null";

    @Inject
    Pool pool;

    /**
     * The post as it is now, one plain statement, detached (the publish request's first read:
     * issue 13 moved the publish request's steps off Hibernate Reactive's sessions).
     */
    public Uni<Post> read(String id) {
        return pool.preparedQuery("select * from posts where id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : read(rows.iterator().next()));
    }

    /** A post from a row of {@code posts} (its columns, as {@code select *} or {@code returning *} give them). */
    public static Post read(Row row) {
        return EntityRows.read(row, Post.class);
    }

    public Uni<Post> findInWorkspace(String orgId, String workspaceId, String id) {
        return find(IN_WORKSPACE, Parameters.with("id", id).and("org", orgId).and("ws", workspaceId)).firstResult();
    }

    public Uni<Post> lockInWorkspace(String orgId, String workspaceId, String id) {
        return find(IN_WORKSPACE, Parameters.with("id", id).and("org", orgId).and("ws", workspaceId))
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    public Uni<Post> lock(String id) {
        return find("id", id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** The post, locked, if {@code leaseToken} still holds it; null once another worker took it over ({@link Leased#lockHeld}). */
    public Uni<Post> lockHeld(String id, String leaseToken) {
        return Leased.lockHeld(this, id, leaseToken);
    }

    /** A page of a workspace's posts, newest first, optionally by status. */
    public Uni<List<Post>> page(String orgId, String workspaceId, PostStatus status, PageRequest page) {
        StringBuilder query = new StringBuilder("orgId = :org and workspaceId = :ws and deletedAt is null");
        Parameters params = Parameters.with("org", orgId).and("ws", workspaceId);
        if (status != null) {
            query.append(" and status = :status");
            params.and("status", status.wire());
        }
        return page.newestFirst(this, query.toString(), params);
    }

    /** The scheduler's query; the status is written into it ({@link Literals}) for the partial index {@code posts_due}. */
    static final String LOCK_DUE = "from Post where status = " + Literals.of(PostStatus.SCHEDULED)
            + " and scheduledAt <= :now and deletedAt is null order by scheduledAt";

    /** The worker's query; the status is written into it for the partial index {@code posts_reserving}. */
    static final String LOCK_ABANDONED_RESERVATIONS = "from Post where status = " + Literals.of(PostStatus.PUBLISHING)
            + " and leaseUntil < :now order by leaseUntil";

    /** Scheduled posts whose time has come, each taken by one instance ({@link DueRows}). */
    public Uni<List<Post>> lockDue(Instant now, int max) {
        return DueRows.lock(Post.class, LOCK_DUE, now, max);
    }

    /** Posts whose credit reservation was left unfinished (its holder died or gave up), locked like {@link #lockDue}. */
    public Uni<List<Post>> lockAbandonedReservations(Instant now, int max) {
        return DueRows.lock(Post.class, LOCK_ABANDONED_RESERVATIONS, now, max);
    }

    /** Posts of the workspace that may still be published with this media: not deleted, in a {@link PostStatus#mayStillPublish} status. */
    public Uni<Long> countMayStillPublishWith(String workspaceId, String mediaId) {
        return count("workspaceId = :ws and deletedAt is null and status in :statuses and array_contains(mediaIds, :media)",
                Parameters.with("ws", workspaceId).and("statuses", PostStatus.mayStillPublish()).and("media", mediaId));
    }
}
