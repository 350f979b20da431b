package dev.postgate.publish.posts;

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
public class PostRepository implements PanacheRepositoryBase<Post, String> {
    private static final String IN_WORKSPACE = "id = :id and orgId = :org and workspaceId = :ws and deletedAt is null";

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

    /** A page of a workspace's posts, newest first, optionally by status. */
    public Uni<List<Post>> page(String orgId, String workspaceId, PostStatus status, PageRequest page) {
        StringBuilder query = new StringBuilder("orgId = :org and workspaceId = :ws and deletedAt is null");
        Parameters params = Parameters.with("org", orgId).and("ws", workspaceId);
        if (status != null) {
            query.append(" and status = :status");
            params.and("status", status.wire());
        }
        if (page.afterId() != null) {
            query.append(" and id < :after");
            params.and("after", page.afterId());
        }
        query.append(" order by id desc");
        return find(query.toString(), params).page(0, page.fetchSize()).list();
    }

    /**
     * Scheduled posts whose time has come, locked for the caller's transaction with
     * {@code FOR UPDATE SKIP LOCKED}: rows another instance holds are skipped, so each due post
     * is taken by exactly one instance. (Panache's lock-timeout hint is refused by Hibernate
     * Reactive, hence the session's query with the lock mode that means it.)
     */
    public Uni<List<Post>> lockDue(Instant now, int max) {
        return lockSkippingLocked("from Post where status = 'scheduled' and scheduledAt <= :now and deletedAt is null order by scheduledAt",
                now, max);
    }

    /** Posts whose credit reservation was left unfinished (its holder died or gave up), locked like {@link #lockDue}. */
    public Uni<List<Post>> lockAbandonedReservations(Instant now, int max) {
        return lockSkippingLocked("from Post where status = 'publishing' and leaseUntil < :now order by leaseUntil", now, max);
    }

    private Uni<List<Post>> lockSkippingLocked(String query, Instant now, int max) {
        return Panache.getSession().chain(session -> session.createSelectionQuery(query, Post.class)
                .setParameter("now", now)
                .setLockMode(LockMode.UPGRADE_SKIPLOCKED)
                .setMaxResults(max)
                .getResultList());
    }

    /** Posts of the workspace that may still be published with this media: any not deleted and not yet published. */
    public Uni<Long> countMayStillPublishWith(String workspaceId, String mediaId) {
        return count("workspaceId = :ws and deletedAt is null and status <> :published and concat(' ', mediaIds, ' ') like :pattern",
                Parameters.with("ws", workspaceId).and("published", PostStatus.PUBLISHED.wire()).and("pattern", "% " + mediaId + " %"));
    }
}
