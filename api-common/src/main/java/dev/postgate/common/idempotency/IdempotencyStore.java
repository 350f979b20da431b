package dev.postgate.common.idempotency;

import java.time.Duration;
import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.postgate.common.db.Literals;
import dev.postgate.common.wire.WireName;
import dev.postgate.common.wire.WireNames;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The {@code idempotency_keys} table: a claim per (organisation, key), its request fingerprint,
 * and once finished the stored answer. Answers live 24 hours; a claim whose request never
 * finished (the instance died) is given up after {@code abandonAfter}. A claim is named by when it
 * was made ({@code created_at}): a request that ran past the abandon window and finishes after a
 * retry took its key over neither stores its answer over the retry's nor releases the retry's claim.
 */
@ApplicationScoped
public class IdempotencyStore {
    public static final Duration RETENTION = Duration.ofHours(24);

    /** A claim's {@code state}: its request is running, or done with its answer stored. */
    enum State implements WireName { RUNNING, DONE }

    private static final String RUNNING = Literals.of(State.RUNNING);
    private static final String DONE = Literals.of(State.DONE);

    @Inject
    Pool pool;

    public sealed interface Claim permits Claimed, Running, Done, Mismatch {
    }

    /** This request owns the key, claimed at {@code claimedAt}: run it and store the answer. */
    public record Claimed(OffsetDateTime claimedAt) implements Claim {
    }

    /** The first request with this key is still running. */
    public record Running() implements Claim {
    }

    /** The first request finished: replay its answer. */
    public record Done(int status, String body) implements Claim {
    }

    /** The key was used for a different request. */
    public record Mismatch() implements Claim {
    }

    public Uni<Claim> claim(String orgId, String key, String fingerprint, Duration abandonAfter) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                delete from idempotency_keys
                 where org_id = $1 and idem_key = $2
                   and (created_at < now() - make_interval(secs => $3)
                        or (state = %s and created_at < now() - make_interval(secs => $4)))""".formatted(RUNNING))
                .execute(Tuple.of(orgId, key, (double) RETENTION.toSeconds(), (double) abandonAfter.toSeconds()))
                .chain(() -> conn.preparedQuery("""
                        insert into idempotency_keys (org_id, idem_key, fingerprint, state)
                        values ($1, $2, $3, %s) on conflict do nothing returning created_at""".formatted(RUNNING))
                        .execute(Tuple.of(orgId, key, fingerprint)))
                .chain(inserted -> inserted.rowCount() == 1
                        ? Uni.createFrom().item((Claim) new Claimed(inserted.iterator().next().getOffsetDateTime("created_at")))
                        : conn.preparedQuery("select fingerprint, state, status, body from idempotency_keys where org_id = $1 and idem_key = $2")
                                .execute(Tuple.of(orgId, key))
                                .map(rows -> existing(rows.iterator().hasNext() ? rows.iterator().next() : null, fingerprint))));
    }

    private static Claim existing(Row row, String fingerprint) {
        if (row == null) {
            // Deleted between our insert and select by a concurrent expiry: the caller may retry.
            return new Running();
        }
        if (!row.getString("fingerprint").equals(fingerprint)) {
            return new Mismatch();
        }
        if (WireNames.of(State.class, row.getString("state")) == State.RUNNING) {
            return new Running();
        }
        return new Done(row.getInteger("status"), row.getString("body"));
    }

    /** Stores the answer of the claim made at {@code claimedAt}; false when that claim was given up and the key is another's. */
    public Uni<Boolean> complete(String orgId, String key, OffsetDateTime claimedAt, int status, String body) {
        return pool.preparedQuery("update idempotency_keys set state = " + DONE + ", status = $4, body = $5"
                + " where org_id = $1 and idem_key = $2 and created_at = $3 and state = " + RUNNING)
                .execute(Tuple.of(orgId, key, claimedAt, status, body)).map(rows -> rows.rowCount() == 1);
    }

    /** Whether {@code key} holds a finished answer still kept (replayed to a repeat whose fingerprint matches). */
    public Uni<Boolean> answered(String orgId, String key) {
        return pool.preparedQuery("select 1 from idempotency_keys where org_id = $1 and idem_key = $2 and state = " + DONE
                + " and created_at >= now() - make_interval(secs => $3)")
                .execute(Tuple.of(orgId, key, (double) RETENTION.toSeconds())).map(rows -> rows.size() > 0);
    }

    /** Forget the claim made at {@code claimedAt}, whose answer must not be stored (401, 429, 503, 5xx): a retry runs again. */
    public Uni<Void> release(String orgId, String key, OffsetDateTime claimedAt) {
        return pool.preparedQuery("delete from idempotency_keys where org_id = $1 and idem_key = $2 and created_at = $3 and state = " + RUNNING)
                .execute(Tuple.of(orgId, key, claimedAt)).replaceWithVoid();
    }

    /** Deletes up to {@code batch} answers older than the retention; the number deleted. */
    public Uni<Integer> purgeExpired(int batch) {
        return pool.preparedQuery("""
                delete from idempotency_keys where ctid in (
                    select ctid from idempotency_keys where created_at < now() - make_interval(secs => $1) limit $2)""")
                .execute(Tuple.of((double) RETENTION.toSeconds(), batch)).map(r -> r.rowCount());
    }
}
