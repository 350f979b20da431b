package dev.postgate.workspaces.credits;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import dev.postgate.common.api.Ids;
import dev.postgate.common.db.DueRows;
import dev.postgate.common.db.Literals;
import dev.postgate.common.errors.PgStates;
import dev.postgate.common.outbox.Outbox;
import dev.postgate.common.time.Instants;
import dev.postgate.common.workspaces.ReservationStatus;
import dev.postgate.workspaces.credits.CreditViews.ReservedView;
import dev.postgate.workspaces.events.CreditsLowEvent;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;

@ApplicationScoped
public class ReservationRepository implements PanacheRepositoryBase<Reservation, String> {

    @Inject
    Pool pool;

    /** One reserve of a batch: what its reservation and ledger entry are written with. */
    public record NewReservation(String id, long amount, String idempotencyKey, String reference, String actor,
            String ledgerEntryId) {
    }

    /**
     * Reserves made together on one workspace: {@code items} have distinct idempotency keys and are
     * granted in their order, each if what is left of the balance pays for it (one that cannot be
     * paid is passed over); with {@code allOrNothing}, only if it pays for every item whose key is
     * new.
     */
    public record ReserveBatch(String workspaceId, List<NewReservation> items, Instant now, Instant expiresAt,
            long lowBalanceThreshold, String eventId, boolean allOrNothing) {
        /** A batch reserved {@code now}: held for the configured reservation timeout, with the low-balance threshold. */
        public static ReserveBatch at(Instant now, CreditsConfig config, String workspaceId, List<NewReservation> items,
                boolean allOrNothing) {
            return new ReserveBatch(workspaceId, items, now, now.plus(config.reservationTimeout()), config.lowBalanceThreshold(),
                    Ids.newId(Ids.EVENT), allOrNothing);
        }

        /** The same batch for other items (and its own credits.low event id). */
        public ReserveBatch withItems(List<NewReservation> others) {
            return new ReserveBatch(workspaceId, others, now, expiresAt, lowBalanceThreshold, Ids.newId(Ids.EVENT), allOrNothing);
        }
    }

    /** What a batch reserved, by idempotency key, and whether it added a credits.low event. */
    public record Reserved(Map<String, ReservedView> byIdempotencyKey, boolean lowBalanceEvent) {
    }

    /** An earlier reservation with an idempotency key, as a replay answers it. */
    public record Earlier(String id, String workspaceId, long amount, String reference, long balanceAfter, Instant expiresAt,
            String status) {
        public ReservedView view() {
            return new ReservedView(id, balanceAfter, expiresAt, status);
        }
    }

    /**
     * The reserve: {@link #RESERVE}, one statement for the whole batch, so the workspace row's lock
     * is held for that statement alone however many reserves it carries. Items missing from the
     * answer reserved nothing: what the items before them left could not pay them, the
     * workspace is unknown or deleted, their idempotency key was taken, or (all or nothing) one
     * item's key was used for another workspace, amount or reference. A key taken by a
     * concurrent reserve meets the unique index and fails the statement, so nothing was written
     * ({@link #isIdempotencyKeyTaken}): the caller tries the items again one by one.
     */
    public Uni<Reserved> reserve(ReserveBatch batch) {
        int n = batch.items().size();
        String[] ids = new String[n];
        Long[] amounts = new Long[n];
        String[] keys = new String[n];
        String[] references = new String[n];
        String[] actors = new String[n];
        String[] entries = new String[n];
        for (int i = 0; i < n; i++) {
            NewReservation item = batch.items().get(i);
            ids[i] = item.id();
            amounts[i] = item.amount();
            keys[i] = item.idempotencyKey();
            references[i] = item.reference();
            actors[i] = item.actor();
            entries[i] = item.ledgerEntryId();
        }
        Tuple params = Tuple.tuple()
                .addString(batch.workspaceId())
                .addArrayOfString(ids)
                .addArrayOfLong(amounts)
                .addArrayOfString(keys)
                .addArrayOfString(references)
                .addArrayOfString(actors)
                .addArrayOfString(entries)
                .addOffsetDateTime(Instants.utc(batch.now()))
                .addOffsetDateTime(Instants.utc(batch.expiresAt()))
                .addLong(batch.lowBalanceThreshold())
                .addString(batch.eventId())
                .addString(batch.now().toString())
                .addString(CreditsLowEvent.TOPIC)
                .addBoolean(batch.allOrNothing())
                .addOffsetDateTime(Instants.utc(Outbox.stamp()));
        return pool.preparedQuery(RESERVE).execute(params)
                .map(rows -> {
                    Map<String, ReservedView> reserved = new HashMap<>();
                    boolean low = false;
                    for (Row row : rows) {
                        reserved.put(row.getString("idempotency_key"), new ReservedView(row.getString("id"),
                                row.getLong("balance_after"), Instants.of(row.getOffsetDateTime("expires_at")), ReservationStatus.RESERVED.wire()));
                        low |= row.getBoolean("low");
                    }
                    return new Reserved(reserved, low);
                });
    }

    /** A reserve whose statement failed on the unique idempotency key: a concurrent reserve took one of its keys. */
    public static boolean isIdempotencyKeyTaken(Throwable failure) {
        return PgStates.isUniqueViolation(failure);
    }

    /** The reservations made with these idempotency keys, by key. */
    public Uni<Map<String, Earlier>> findEarlier(List<String> idempotencyKeys) {
        return pool.preparedQuery("select id, workspace_id, amount, reference, balance_after, expires_at, status, idempotency_key"
                + " from credit_reservations where idempotency_key = any($1)")
                .execute(Tuple.of(idempotencyKeys.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, Earlier> found = new HashMap<>();
                    for (Row row : rows) {
                        found.put(row.getString("idempotency_key"), new Earlier(row.getString("id"), row.getString("workspace_id"),
                                row.getLong("amount"), row.getString("reference"), row.getLong("balance_after"),
                                Instants.of(row.getOffsetDateTime("expires_at")), row.getString("status")));
                    }
                    return found;
                });
    }

    /** The reservation made with this idempotency key, or null. */
    public Uni<Earlier> findEarlier(String idempotencyKey) {
        return pool.preparedQuery("select id, workspace_id, amount, reference, balance_after, expires_at, status from credit_reservations"
                + " where idempotency_key = $1").execute(Tuple.of(idempotencyKey))
                .map(rows -> {
                    RowIterator<Row> it = rows.iterator();
                    if (!it.hasNext()) {
                        return null;
                    }
                    Row row = it.next();
                    return new Earlier(row.getString("id"), row.getString("workspace_id"), row.getLong("amount"),
                            row.getString("reference"), row.getLong("balance_after"), Instants.of(row.getOffsetDateTime("expires_at")), row.getString("status"));
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

    /**
     * $1 workspace; per item, in order: $2 reservation ids, $3 amounts, $4 idempotency keys, $5
     * references, $6 actors, $7 ledger entry ids; $8 now, $9 expires at, $10 low-balance threshold,
     * $11 event id, $12 now as ISO-8601 text, $13 credits topic, $14 all or nothing, $15 the outbox row's
     * {@link Outbox#stamp}. The event's fields are those of {@link CreditsLowEvent}. {@code locked} takes the row lock and reads the newest balance (under
     * READ COMMITTED a row changed since the statement began is read again), which the update then
     * changes; items are granted in their order, each if what the items before it left of that
     * balance pays for it ({@code walk}: one that cannot be paid is passed over and does not hold up
     * the ones after it), and their ledger entries are inserted in that order ({@link LedgerEntry#seq});
     * an item whose idempotency key is already used reserves nothing. All
     * or nothing also means that an item whose key was used for another workspace, amount or
     * reference ({@code conflict}, a 409 for the caller) leaves every item unreserved. One
     * credits.low event when the batch takes the balance from at least the threshold to below it,
     * with the balance after the item that did ({@code crossing}), not after the batch.
     * <p>
     * A used idempotency key is looked for with a scalar subquery, one index lookup per item, not
     * {@code not exists}: PostgreSQL turns that into an anti join, and the plan it keeps for this
     * prepared statement, if made while the table looked small (a new deployment, statistics not
     * gathered yet), hashed all of {@code credit_reservations} on every reserve (ReservePlanTest).
     */
    // Filled in with %s, not %d: %d writes the digits of the JVM's locale, which SQL would not read.
    public static final String RESERVE = """
            with recursive item as (
                select * from unnest($2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[])
                    with ordinality as i(id, amount, idempotency_key, reference, actor, ledger_entry_id, position)
            ), fresh as (
                select item.*, sum(item.amount) over (order by item.position) as running_total from item
                where (select r.id from credit_reservations r where r.idempotency_key = item.idempotency_key limit 1) is null
            ), conflict as (
                select 1 from item
                where $14 and (select r.workspace_id <> $1 or r.amount <> item.amount or r.reference is distinct from item.reference
                               from credit_reservations r where r.idempotency_key = item.idempotency_key limit 1)
                limit 1
            ), locked as (
                select id, org_id, balance from workspaces where id = $1 and deleted_at is null for update
            ), walk as (
                select 0::bigint as position, locked.balance as left_over, false as taken from locked
                union all
                select i.position,
                       case when f.id is not null and i.amount <= w.left_over then w.left_over - i.amount else w.left_over end,
                       f.id is not null and i.amount <= w.left_over
                from walk w join item i on i.position = w.position + 1
                left join fresh f on f.position = i.position
            ), granted as (
                select fresh.*, walk.left_over as balance_after
                from fresh join walk on walk.position = fresh.position and walk.taken, locked
                where (not $14 or (select coalesce(max(f.running_total), 0) from fresh f) <= locked.balance)
                  and not exists (select 1 from conflict)
            ), taken as (
                select sum(amount) as total from granted
            ), ws as (
                update workspaces w set balance = locked.balance - taken.total, updated_at = $8
                from locked, taken
                where w.id = locked.id and taken.total is not null
                returning w.id, w.org_id, w.balance, locked.balance as balance_before
            ), res as (
                insert into credit_reservations (id, workspace_id, org_id, amount, status, idempotency_key, reference,
                                                 balance_after, actor, created_at, expires_at, updated_at)
                select granted.id, ws.id, ws.org_id, granted.amount, %s, granted.idempotency_key, granted.reference,
                       granted.balance_after, granted.actor, $8, $9, $8
                from granted, ws
                returning id, idempotency_key, balance_after, expires_at
            ), entry as (
                insert into credit_ledger (id, workspace_id, org_id, kind, amount, balance_after, reason, reference, actor,
                                           idempotency_key, reservation_id, created_at)
                select granted.ledger_entry_id, ws.id, ws.org_id, %s, -granted.amount, granted.balance_after,
                       %s, granted.reference, granted.actor, granted.idempotency_key, res.id, $8
                from granted join res on res.id = granted.id, ws
                order by granted.position
            ), crossing as (
                select balance_after from granted where balance_after < $10 order by position limit 1
            ), low as (
                %s
                select $13, ws.id, json_build_object('id', $11::text, 'type', %s, 'workspace_id', ws.id,
                           'org_id', ws.org_id, 'balance', crossing.balance_after, 'threshold', $10::bigint, 'occurred_at', $12::text,
                           'version', %s)::text, $15
                from ws, crossing where ws.balance_before >= $10
                returning 1
            )
            select id, idempotency_key, balance_after, expires_at, exists (select 1 from low) as low from res
            """.formatted(Literals.of(ReservationStatus.RESERVED), Literals.of(LedgerKind.RESERVE),
                    Literals.of(LedgerEntry.RESERVED_REASON), Outbox.INSERT, Literals.of(CreditsLowEvent.TYPE),
                    CreditsLowEvent.VERSION);

    /** What a settle or refund in one statement did: the reservation's id and the workspace's balance after it. */
    public record Closed(String id, long balance) {
    }

    /**
     * The settle of a reservation still held: {@link #SETTLE}, one statement. Null when it changed
     * nothing (unknown, closed already, past its expiry, or {@code keep} above the reserved
     * amount): the caller works out which, and the answer, the slow way.
     */
    public Uni<Closed> settleInOneStatement(String id, Long keep, Instant now, String actor) {
        Tuple params = Tuple.tuple()
                .addString(id)
                .addLong(keep)
                .addOffsetDateTime(Instants.utc(now))
                .addString(Ids.newId(Ids.LEDGER_ENTRY))
                .addString(Ids.newId(Ids.LEDGER_ENTRY))
                .addString(actor);
        return pool.preparedQuery(SETTLE).execute(params).map(ReservationRepository::closed);
    }

    /** The refund of a reservation still held: {@link #REFUND}, one statement. Null when it changed nothing. */
    public Uni<Closed> refundInOneStatement(String id, Instant now, String actor) {
        Tuple params = Tuple.tuple()
                .addString(id)
                .addOffsetDateTime(Instants.utc(now))
                .addString(Ids.newId(Ids.LEDGER_ENTRY))
                .addString(actor);
        return pool.preparedQuery(REFUND).execute(params).map(ReservationRepository::closed);
    }

    private static Closed closed(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        RowIterator<Row> it = rows.iterator();
        if (!it.hasNext()) {
            return null;
        }
        Row row = it.next();
        return new Closed(row.getString("id"), row.getLong("balance"));
    }

    /**
     * $1 reservation, $2 credits kept (null: all), $3 now, $4 settle entry id, $5 refund entry id,
     * $6 actor. Locks the reservation, then its workspace (the order every settle, refund and the
     * expiry job use); the settle entry (amount 0) and, when less than reserved is kept, the refund
     * of the rest, in that order (one insert, so that their {@link LedgerEntry#seq} follow it).
     */
    static final String SETTLE = """
            with kept as (
                select id, workspace_id, reference, amount, coalesce($2::bigint, amount) as kept,
                       amount - coalesce($2::bigint, amount) as rest
                from credit_reservations
                where id = $1 and status = %s and expires_at > $3 and coalesce($2::bigint, amount) <= amount
                for update
            ), ws as (
                update workspaces w set balance = w.balance + kept.rest, updated_at = $3
                from kept where w.id = kept.workspace_id
                returning w.id, w.org_id, w.balance, kept.rest
            ), closed as (
                update credit_reservations c set status = %s, settled_amount = kept.kept, updated_at = $3
                from kept where c.id = kept.id
                returning c.id
            ), entries as (
                insert into credit_ledger (id, workspace_id, org_id, kind, amount, balance_after, reason, reference, actor,
                                           idempotency_key, reservation_id, created_at)
                select e.id, ws.id, ws.org_id, e.kind, e.amount, e.balance_after, e.reason, kept.reference, $6,
                       null, kept.id, $3
                from ws, kept, lateral (values (1, $4::text, %s, 0::bigint, ws.balance - ws.rest, %s),
                                               (2, $5::text, %s, ws.rest, ws.balance, %s))
                                       as e(n, id, kind, amount, balance_after, reason)
                where e.n = 1 or ws.rest > 0
                order by e.n
            )
            select closed.id, ws.balance from closed, ws
            """.formatted(Literals.of(ReservationStatus.RESERVED), Literals.of(ReservationStatus.SETTLED),
                    Literals.of(LedgerKind.SETTLE), Literals.of(LedgerEntry.SETTLED_REASON), Literals.of(LedgerKind.REFUND),
                    Literals.of(LedgerEntry.REST_REFUNDED_REASON));

    /** $1 reservation, $2 now, $3 refund entry id, $4 actor; locks as {@link #SETTLE} does. */
    static final String REFUND = """
            with held as (
                select id, workspace_id, reference, amount from credit_reservations
                where id = $1 and status = %s
                for update
            ), ws as (
                update workspaces w set balance = w.balance + held.amount, updated_at = $2
                from held where w.id = held.workspace_id
                returning w.id, w.org_id, w.balance
            ), closed as (
                update credit_reservations c set status = %s, updated_at = $2
                from held where c.id = held.id
                returning c.id
            ), entry as (
                insert into credit_ledger (id, workspace_id, org_id, kind, amount, balance_after, reason, reference, actor,
                                           idempotency_key, reservation_id, created_at)
                select $3, ws.id, ws.org_id, %s, held.amount, ws.balance, %s, held.reference, $4,
                       null, held.id, $2
                from ws, held
            )
            select closed.id, ws.balance from closed, ws
            """.formatted(Literals.of(ReservationStatus.RESERVED), Literals.of(ReservationStatus.REFUNDED),
                    Literals.of(LedgerKind.REFUND), Literals.of(LedgerEntry.REFUNDED_REASON));

    public Uni<Reservation> lock(String id) {
        return find("id", id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** The expiry job's query; the status is written into it ({@link Literals}) for the partial index {@code credit_reservations_due}. */
    static final String LOCK_DUE = "from Reservation where status = " + Literals.of(ReservationStatus.RESERVED)
            + " and expiresAt <= :now order by workspaceId, id";

    /**
     * Reservations past their timeout, locked for the expiry job ({@link DueRows}: rows another
     * instance, a settle or a refund holds are skipped, not waited for). Ordered by workspace so
     * that instances lock workspaces in the same order.
     */
    public Uni<List<Reservation>> lockDueForExpiry(Instant now, int max) {
        return DueRows.lock(Reservation.class, LOCK_DUE, now, max);
    }
}
