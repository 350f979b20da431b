package dev.postgate.publish.publishing;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.postgate.common.api.Cursor;
import dev.postgate.common.api.PageRequest;
import dev.postgate.common.db.DueRows;
import dev.postgate.common.db.Literals;
import dev.postgate.common.time.Instants;
import dev.postgate.keyclient.Reservation;
import dev.postgate.publish.lease.Leased;
import dev.postgate.publish.posts.Post;
import dev.postgate.publish.posts.PostRepository;
import dev.postgate.publish.posts.PostStatus;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

@ApplicationScoped
public class PostTargetRepository implements PanacheRepositoryBase<PostTarget, String> {
    /**
     * A publish-now request in one statement: the post, locked, becomes publishing in a new
     * attempt (lease {@code $6} until {@code $7} unless it is in test mode) if its status allows
     * it, it was made in the caller's mode ({@code $4}), its accounts are still {@code $8} and no
     * target of an earlier attempt is left (the
     * locked transaction replaces those), and gets one target per account (ids, accounts,
     * platforms and names in {@code $9}..{@code $12}, in the post's order). The row gives the
     * post as it was ({@code before_*}) and, when it started, as it is now. The update names the
     * post by {@code $1} as well as by {@code old}: joined by {@code old} alone, a plan kept while
     * {@code posts} looked small read the whole table on every publish (PublishPlanTest).
     */
    static final String START = """
            with old as (
                select id, status, failure_reason, scheduled_at, updated_at from posts
                where id = $1 and org_id = $2 and workspace_id = $3 and deleted_at is null
                for update),
            started as (
                update posts p set status = %1$s, publish_attempts = p.publish_attempts + 1,
                                   failure_reason = null, scheduled_at = null, updated_at = $5,
                                   lease_token = case when p.test_mode then null else $6 end,
                                   lease_until = case when p.test_mode then null else $7 end
                from old
                where p.id = $1 and p.id = old.id and old.status = any($13) and p.account_ids = $8::varchar[]
                  and p.test_mode = $4
                  and not exists (select 1 from post_targets t where t.post_id = old.id)
                returning p.*),
            added as (
                insert into post_targets (id, post_id, account_id, position, platform, account_name, state, attempt,
                                          created_at, updated_at)
                select a.id, s.id, a.account_id, (a.n - 1)::int, a.platform, a.account_name,
                       case when s.test_mode then %2$s else %3$s end, s.publish_attempts, $5, $5
                from started s, unnest($9::text[], $10::text[], $11::text[], $12::text[])
                                with ordinality as a(id, account_id, platform, account_name, n))
            select old.status as before_status, old.failure_reason as before_failure_reason,
                   old.scheduled_at as before_scheduled_at, old.updated_at as before_updated_at, s.*
            from old left join started s on true""".formatted(Literals.of(PostStatus.PUBLISHING),
            Literals.of(TargetState.PENDING), Literals.of(TargetState.RESERVING));

    /**
     * Credits held for a claimed post's reserving targets, in one statement: if the claim (lease
     * token {@code $2}) still holds and every reserving target is in {@code $4}, its lease ends and
     * each target in {@code $4} becomes pending on its reservation ({@code $5}, held until
     * {@code $6}). The row is the post as it is now; none when the claim was lost or a reserving
     * target has no reservation (the locked transaction then decides).
     */
    static final String MARK_RESERVED = """
            with held as (
                update posts set lease_token = null, lease_until = null, updated_at = $3
                where id = $1 and lease_token = $2
                  and not exists (select 1 from post_targets t
                                  where t.post_id = $1 and t.state = %1$s and t.id <> all($4::text[]))
                returning *),
            marked as (
                update post_targets t set state = %2$s, reservation_id = r.reservation_id,
                                          reservation_expires_at = r.expires_at, error = null, external_id = null,
                                          updated_at = $3
                from held, unnest($4::text[], $5::text[], $6::timestamptz[]) as r(target_id, reservation_id, expires_at)
                where t.post_id = held.id and t.id = r.target_id and t.state = %1$s
                returning t.id)
            select held.*, (select count(*) from marked) as marked from held""".formatted(Literals.of(TargetState.RESERVING),
            Literals.of(TargetState.PENDING));

    @Inject
    Pool pool;

    /** What {@link #START} found: nothing (no such post), the post as it was only (not started), or started. */
    record Started(Post post, PublishClaim.Before before, boolean started) {
    }

    Uni<Started> start(String orgId, String workspaceId, String postId, boolean testMode, Instant now, String leaseToken,
            Instant leaseUntil, String[] accountIds, List<PostTarget> created) {
        Object[] params = {postId, orgId, workspaceId, testMode, Instants.utc(now), leaseToken, Instants.utc(leaseUntil), accountIds,
                created.stream().map(t -> t.id).toArray(String[]::new),
                created.stream().map(t -> t.accountId).toArray(String[]::new),
                created.stream().map(t -> t.platform).toArray(String[]::new),
                created.stream().map(t -> t.accountName).toArray(String[]::new),
                PostStatus.publishable()};
        return pool.preparedQuery(START).execute(Tuple.from(params)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row row = rows.iterator().next();
            PublishClaim.Before before = new PublishClaim.Before(PostStatus.of(row.getString("before_status")),
                    row.getString("before_failure_reason"), Instants.of(row.getOffsetDateTime("before_scheduled_at")),
                    Instants.of(row.getOffsetDateTime("before_updated_at")));
            boolean started = row.getString("id") != null;
            return new Started(started ? PostRepository.read(row) : null, before, started);
        });
    }

    /** See {@link #MARK_RESERVED}: the post, or null if the claim was lost. */
    Uni<Post> markReserved(String postId, String leaseToken, Instant now, Map<String, Reservation> reservations) {
        String[] targetIds = reservations.keySet().toArray(String[]::new);
        Object[] params = {postId, leaseToken, Instants.utc(now), targetIds,
                reservations.values().stream().map(Reservation::id).toArray(String[]::new),
                reservations.values().stream().map(r -> Instants.utc(r.heldUntil())).toArray(OffsetDateTime[]::new)};
        return pool.preparedQuery(MARK_RESERVED).execute(Tuple.from(params))
                .map(rows -> rows.size() == 0 ? null : PostRepository.read(rows.iterator().next()));
    }

    public Uni<List<PostTarget>> ofPost(String postId) {
        return find("postId = ?1 order by position", postId).list();
    }

    /**
     * This page of the post's targets in the order of its accounts: those after the cursor's target,
     * one more than the limit. A cursor that names no target of this post is 400.
     */
    public Uni<List<PostTarget>> ofPost(String postId, PageRequest page) {
        if (page.afterId() == null) {
            return find("postId = ?1 order by position", postId).page(0, page.fetchSize()).list();
        }
        return find("id = ?1 and postId = ?2", page.afterId(), postId).firstResult().chain(after -> {
            if (after == null) {
                throw Cursor.invalid();
            }
            return find("postId = ?1 and position > ?2 order by position", postId, after.position).page(0, page.fetchSize()).list();
        });
    }

    public Uni<PostTarget> lockHeld(String id, String leaseToken) {
        return Leased.lockHeld(this, id, leaseToken);
    }

    /** The worker's query; the states are written into it ({@link Literals}) for the partial index {@code post_targets_work}. */
    static final String LOCK_WORKABLE = "from PostTarget where state = " + Literals.of(TargetState.PENDING)
            + " or (state in " + Literals.list(TargetState.leased()) + " and leaseUntil < :now) order by updatedAt";

    /**
     * Targets with work to do, locked for the caller's transaction: pending ones, and ones left
     * in an intermediate state whose lease ran out (their worker died). Rows another instance
     * holds are skipped ({@link DueRows}).
     */
    public Uni<List<PostTarget>> lockWorkable(Instant now, int max) {
        return DueRows.lock(PostTarget.class, LOCK_WORKABLE, now, max);
    }

    public Uni<Long> deleteOfPost(String postId) {
        return delete("postId", postId);
    }
}
