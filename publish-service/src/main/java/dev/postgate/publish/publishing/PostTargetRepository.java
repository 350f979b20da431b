package dev.postgate.publish.publishing;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.hibernate.LockMode;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class PostTargetRepository implements PanacheRepositoryBase<PostTarget, String> {

    public Uni<List<PostTarget>> ofPost(String postId) {
        return find("postId = ?1 order by position", postId).list();
    }

    public Uni<PostTarget> lockOwned(String id, String leaseToken) {
        return find("id = :id and leaseToken = :token", Parameters.with("id", id).and("token", leaseToken))
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /**
     * Targets with work to do, locked for the caller's transaction: pending ones, and ones left
     * in an intermediate state whose lease ran out (their worker died). Rows another instance
     * holds are skipped ({@code FOR UPDATE SKIP LOCKED}).
     */
    public Uni<List<PostTarget>> lockWorkable(Instant now, int max) {
        return Panache.getSession().chain(session -> session.createSelectionQuery("""
                from PostTarget where state = 'pending'
                   or (state in ('sending', 'settling', 'refunding') and leaseUntil < :now)
                order by updatedAt""", PostTarget.class)
                .setParameter("now", now)
                .setLockMode(LockMode.UPGRADE_SKIPLOCKED)
                .setMaxResults(max)
                .getResultList());
    }

    public Uni<Long> deleteOfPost(String postId) {
        return delete("postId", postId);
    }
}
