package dev.postgate.keys.keys;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import dev.postgate.common.api.PageRequest;
import dev.postgate.common.db.DueRows;
import dev.postgate.common.db.EntityRows;
import dev.postgate.common.db.Literals;
import dev.postgate.common.keys.KeyStatus;
import dev.postgate.common.outbox.Outbox;
import dev.postgate.common.time.Instants;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

@ApplicationScoped
public class KeyRepository implements PanacheRepositoryBase<ApiKey, String> {
    /**
     * A revoke in one statement, so the key's row is locked for that statement only: the key (if
     * it is still at the {@code seq} it was read at and not revoked), its audit entry and its
     * outbox row; the outbox row's id, or no row when the key changed since it was read. The
     * status and the audit action are {@link ApiKey#markRevoked}'s and the locked revoke's.
     */
    static final String REVOKE = """
            with revoked as (
                update api_keys set status = %1$s, revoked_at = $3, updated_at = $3, seq = seq + 1
                 where id = $1 and org_id = $2 and seq = $4 and status <> %1$s
                returning id, org_id),
            audited as (
                insert into key_audit (id, key_id, org_id, action, actor, request_id, occurred_at, details)
                select $5, id, org_id, %2$s, $6, $7, $3, $8 from revoked)
            %3$s
            select $9, id, $10, $11 from revoked
            returning id""".formatted(Literals.of(KeyStatus.REVOKED), Literals.of(AuditLog.Action.REVOKE), Outbox.INSERT);

    @Inject
    Pool pool;

    /** The key as it is now, read without a session or a lock (detached); null if the organisation has no such key. */
    public Uni<ApiKey> readInOrg(String orgId, String id) {
        return pool.preparedQuery("select * from api_keys where id = $1 and org_id = $2").execute(Tuple.of(id, orgId))
                .map(rows -> rows.size() == 0 ? null : read(rows.iterator().next()));
    }

    /**
     * Revokes {@code key} (read at {@code seenSeq}, already changed in memory to its revoked state)
     * with its audit entry and outbox row in one statement ({@link #REVOKE}): the outbox row's
     * id, or null when the key changed since it was read (the caller then takes the locked path).
     */
    public Uni<Long> revokeAtOnce(ApiKey key, long seenSeq, String auditId, String actor, String requestId, String details,
            String topic, String payload, Instant createdAt) {
        return pool.preparedQuery(REVOKE).execute(Tuple.from(new Object[] {key.id, key.orgId, Instants.utc(key.revokedAt), seenSeq, auditId,
                actor, requestId, details, topic, payload, Instants.utc(createdAt)}))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getLong("id"));
    }


    /** Creates the organisation row if needed and locks it until the transaction ends. */
    public Uni<Void> lockOrganisation(String orgId) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("insert into organisations (org_id) values (:org) on conflict do nothing")
                        .setParameter("org", orgId).executeUpdate()
                        .chain(() -> session.find(Organisation.class, orgId, LockModeType.PESSIMISTIC_WRITE)))
                .replaceWithVoid();
    }

    /**
     * Keys that count against the limit: working (active, not expired) and not in a roll's overlap
     * window while their successor works. A predecessor whose successor was revoked or expired
     * counts again, so no sequence of rolls and revokes yields more working keys than the limit.
     */
    public Uni<Long> countCountingTowardsLimit(String orgId, Instant now) {
        return count("""
                from ApiKey k
                where k.orgId = :org and %s
                  and (k.rolledTo is null or not exists (
                      select 1 from ApiKey successor
                       where successor.id = k.rolledTo and %s))""".formatted(KeyStatusFilter.workingAt("k."),
                KeyStatusFilter.workingAt("successor.")),
                Parameters.with("org", orgId).and("now", now));
    }

    public Uni<ApiKey> findInOrg(String orgId, String id) {
        return find("id = :id and orgId = :org", Parameters.with("id", id).and("org", orgId)).firstResult();
    }

    public Uni<ApiKey> lockInOrg(String orgId, String id) {
        return find("id = :id and orgId = :org", Parameters.with("id", id).and("org", orgId))
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** The key that was rolled into {@code keyId} and still works in its overlap window, locked. */
    public Uni<ApiKey> lockOverlappingPredecessor(String keyId, Instant now) {
        return find("rolledTo = :id and " + KeyStatusFilter.workingAt(""), Parameters.with("id", keyId).and("now", now))
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /**
     * The key with this HMAC, read without a session (detached), or null: one plain statement, as
     * every cache miss of every instance asks it (issue 13, cache-miss verification).
     */
    public Uni<ApiKey> readByHash(String keyHash) {
        return pool.preparedQuery("select * from api_keys where key_hash = $1").execute(Tuple.of(keyHash))
                .map(rows -> rows.size() == 0 ? null : read(rows.iterator().next()));
    }

    public Uni<ApiKey> lockByHash(String keyHash) {
        return find("keyHash", keyHash).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** A page of an organisation's keys, newest first, optionally by status. */
    public Uni<List<ApiKey>> page(String orgId, KeyStatusFilter status, PageRequest page, Instant now) {
        StringBuilder query = new StringBuilder("orgId = :org");
        Parameters params = Parameters.with("org", orgId);
        if (status != null) {
            query.append(" and ").append(status.condition());
            if (status != KeyStatusFilter.REVOKED) {
                params.and("now", now);
            }
        }
        return page.newestFirst(this, query.toString(), params);
    }

    /** The expiry job's query; the status is written into it ({@link Literals}) for the partial index {@code api_keys_expiring}. */
    static final String LOCK_DUE_FOR_EXPIRY = "from ApiKey where " + KeyStatusFilter.pastExpiry("") + " order by expiresAt";

    /**
     * Keys whose expiry has passed but are still marked active, locked for the expiry job; rows
     * another transaction holds (a revoke, another instance's job) are skipped, not waited for.
     */
    public Uni<List<ApiKey>> lockDueForExpiry(Instant now, int max) {
        return DueRows.lock(ApiKey.class, LOCK_DUE_FOR_EXPIRY, now, max);
    }

    public Uni<Integer> recordUse(String keyId, Instant usedAt) {
        return update("lastUsedAt = :at where id = :id and (lastUsedAt is null or lastUsedAt < :at)",
                Parameters.with("at", usedAt).and("id", keyId));
    }

    private static ApiKey read(Row row) {
        return EntityRows.read(row, ApiKey.class);
    }
}
