package dev.postgate.workspaces.credits;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.hibernate.LockMode;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class ReservationRepository implements PanacheRepositoryBase<Reservation, String> {

    /**
     * Serialises every reserve with the same idempotency key until the transaction ends, whatever
     * workspace it names, so that concurrent retries find each other's reservation.
     */
    public Uni<Void> lockIdempotencyKey(String idempotencyKey) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                        "select count(*) from (select pg_advisory_xact_lock(hashtextextended(:key, 7)) ) as locked", Long.class)
                        .setParameter("key", "reservation:" + idempotencyKey)
                        .getSingleResult())
                .replaceWithVoid();
    }

    public Uni<Reservation> findByIdempotencyKey(String idempotencyKey) {
        return find("idempotencyKey", idempotencyKey).firstResult();
    }

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
