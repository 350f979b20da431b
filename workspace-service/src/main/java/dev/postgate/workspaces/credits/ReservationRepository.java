package dev.postgate.workspaces.credits;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import org.hibernate.LockMode;

import dev.postgate.workspaces.credits.CreditViews.ReservedView;
import dev.postgate.workspaces.events.CreditsLowEvent;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

@ApplicationScoped
public class ReservationRepository implements PanacheRepositoryBase<Reservation, String> {

    @Inject
    Pool pool;

    /** What one reserve writes: the reservation, its ledger entry, and maybe the credits.low event. */
    public record NewReservation(String id, String workspaceId, long amount, String idempotencyKey, String reference,
            String actor, Instant now, Instant expiresAt, String ledgerEntryId, long lowBalanceThreshold, String eventId) {
    }

    /** An earlier reservation with an idempotency key, as a replay answers it. */
    public record Earlier(String id, String workspaceId, long amount, String reference, long balanceAfter, Instant expiresAt) {
        public ReservedView view() {
            return new ReservedView(id, balanceAfter, expiresAt);
        }
    }

    /**
     * The reserve: {@link #RESERVE}, one statement, so the workspace row's lock is held for that
     * statement alone. Null when nothing was reserved (the balance cannot pay, the workspace is
     * unknown or deleted, or the idempotency key is taken, also by a concurrent reserve: its
     * unique index makes this statement write nothing).
     */
    public Uni<ReservedView> reserveInOneStatement(NewReservation r) {
        Tuple params = Tuple.tuple()
                .addString(r.workspaceId())
                .addLong(r.amount())
                .addString(r.idempotencyKey())
                .addString(r.id())
                .addString(r.reference())
                .addOffsetDateTime(OffsetDateTime.ofInstant(r.now(), ZoneOffset.UTC))
                .addString(r.actor())
                .addOffsetDateTime(OffsetDateTime.ofInstant(r.expiresAt(), ZoneOffset.UTC))
                .addString(r.ledgerEntryId())
                .addLong(r.lowBalanceThreshold())
                .addString(r.eventId())
                .addString(r.now().toString())
                .addString(CreditsLowEvent.TOPIC);
        return pool.preparedQuery(RESERVE).execute(params)
                .map(rows -> {
                    RowIterator<Row> it = rows.iterator();
                    if (!it.hasNext()) {
                        return (ReservedView) null;
                    }
                    Row row = it.next();
                    return new ReservedView(row.getString("id"), row.getLong("balance_after"),
                            row.getOffsetDateTime("expires_at").toInstant());
                })
                .onFailure(e -> e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState()))
                .recoverWithItem(() -> null);
    }

    /** The reservation made with this idempotency key, or null. */
    public Uni<Earlier> findEarlier(String idempotencyKey) {
        return pool.preparedQuery("select id, workspace_id, amount, reference, balance_after, expires_at from credit_reservations"
                + " where idempotency_key = $1").execute(Tuple.of(idempotencyKey))
                .map(rows -> {
                    RowIterator<Row> it = rows.iterator();
                    if (!it.hasNext()) {
                        return null;
                    }
                    Row row = it.next();
                    return new Earlier(row.getString("id"), row.getString("workspace_id"), row.getLong("amount"),
                            row.getString("reference"), row.getLong("balance_after"), row.getOffsetDateTime("expires_at").toInstant());
                });
    }

    /** The balance of a workspace that is not deleted, or null. */
    public Uni<Long> liveBalance(String workspaceId) {
        return pool.preparedQuery("select balance from workspaces where id = $1 and deleted_at is null").execute(Tuple.of(workspaceId))
                .map(rows -> {
                    RowIterator<Row> it = rows.iterator();
                    return it.hasNext() ? it.next().getLong("balance") : null;
                });
    }

    private static final String UNIQUE_VIOLATION = "23505";

    /**
     * $1 workspace, $2 amount, $3 idempotency key, $4 reservation id, $5 reference, $6 now, $7
     * actor, $8 expires at, $9 ledger entry id, $10 low-balance threshold, $11 event id, $12 now
     * as ISO-8601 text, $13 credits topic. The event's fields are those of {@link CreditsLowEvent}.
     */
    public static final String RESERVE = """
            with ws as (
                update workspaces set balance = balance - $2, updated_at = $6
                where id = $1 and deleted_at is null and balance >= $2
                  and not exists (select 1 from credit_reservations where idempotency_key = $3)
                returning id, org_id, balance
            ), res as (
                insert into credit_reservations (id, workspace_id, org_id, amount, status, idempotency_key, reference,
                                                 balance_after, actor, created_at, expires_at, updated_at)
                select $4, id, org_id, $2, 'reserved', $3, $5, balance, $7, $6, $8, $6 from ws
                returning id, balance_after, expires_at
            ), entry as (
                insert into credit_ledger (id, workspace_id, org_id, kind, amount, balance_after, reason, reference, actor,
                                           idempotency_key, reservation_id, created_at)
                select $9, ws.id, ws.org_id, 'reserve', -$2, ws.balance, 'credits reserved', $5, $7, $3, res.id, $6
                from ws, res
            ), low as (
                insert into outbox (topic, record_key, payload, created_at)
                select $13, ws.id, json_build_object('id', $11::text, 'type', 'credits.low', 'workspace_id', ws.id,
                           'org_id', ws.org_id, 'balance', ws.balance, 'threshold', $10::bigint, 'occurred_at', $12::text,
                           'version', 1)::text, $6
                from ws where ws.balance < $10 and ws.balance + $2 >= $10
            )
            select id, balance_after, expires_at from res
            """;

    public Uni<Reservation> lock(String id) {
        return find("id", id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /**
     * Reservations past their timeout, locked for the expiry job with {@code FOR UPDATE SKIP
     * LOCKED}: rows another instance (or a settle or refund) holds are skipped, not waited for.
     * Ordered by workspace so that instances lock workspaces in the same order. Panache's
     * {@code withHint("jakarta.persistence.lock.timeout", -2)} is refused by Hibernate Reactive
     * ("Hints not supported yet"), hence the session's own query with the lock mode that means it.
     */
    public Uni<List<Reservation>> lockDueForExpiry(Instant now, int max) {
        return Panache.getSession().chain(session -> session.createSelectionQuery(
                "from Reservation where status = 'reserved' and expiresAt <= :now order by workspaceId, id", Reservation.class)
                .setParameter("now", now)
                .setLockMode(LockMode.UPGRADE_SKIPLOCKED)
                .setMaxResults(max)
                .getResultList());
    }
}
