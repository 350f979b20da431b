package dev.postgate.keys.keys;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import dev.postgate.common.api.PageRequest;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class KeyRepository implements PanacheRepositoryBase<ApiKey, String> {

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
                where k.orgId = :org and k.status = 'active' and (k.expiresAt is null or k.expiresAt > :now)
                  and (k.rolledTo is null or not exists (
                      select 1 from ApiKey successor
                       where successor.id = k.rolledTo and successor.status = 'active'
                         and (successor.expiresAt is null or successor.expiresAt > :now)))""",
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
        return find("rolledTo = :id and status = 'active' and expiresAt > :now", Parameters.with("id", keyId).and("now", now))
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    public Uni<ApiKey> findByHash(String keyHash) {
        return find("keyHash", keyHash).firstResult();
    }

    public Uni<ApiKey> lockByHash(String keyHash) {
        return find("keyHash", keyHash).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** A page of an organisation's keys, newest first, optionally by status. */
    public Uni<List<ApiKey>> page(String orgId, KeyStatusFilter status, PageRequest page, Instant now) {
        StringBuilder query = new StringBuilder("orgId = :org");
        Parameters params = Parameters.with("org", orgId);
        if (page.afterId() != null) {
            query.append(" and id < :after");
            params.and("after", page.afterId());
        }
        if (status != null) {
            query.append(" and ").append(status.condition());
            if (status != KeyStatusFilter.REVOKED) {
                params.and("now", now);
            }
        }
        query.append(" order by id desc");
        return find(query.toString(), params).page(0, page.fetchSize()).list();
    }

    /**
     * Keys whose expiry has passed but are still marked active, locked for the expiry job; rows
     * another transaction holds (a revoke, another instance's job) are skipped, not waited for.
     * Native SQL because Hibernate Reactive Panache queries take no lock-timeout hint.
     */
    public Uni<List<ApiKey>> lockDueForExpiry(Instant now, int max) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                select * from api_keys
                 where status = 'active' and expires_at <= :now
                 order by expires_at
                 limit :max
                 for update skip locked""", ApiKey.class)
                .setParameter("now", now)
                .setParameter("max", max)
                .getResultList());
    }

    public Uni<Integer> recordUse(String keyId, Instant usedAt) {
        return update("lastUsedAt = :at where id = :id and (lastUsedAt is null or lastUsedAt < :at)",
                Parameters.with("at", usedAt).and("id", keyId));
    }
}
