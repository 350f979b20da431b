package dev.postgate.common.db;

import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

import org.hibernate.LockMode;
import org.hibernate.reactive.mutiny.Mutiny;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * How a background pass takes its work: at most {@code max} rows of {@code query} (JPQL with a
 * {@code :now} parameter), locked for the caller's transaction with {@code FOR UPDATE SKIP
 * LOCKED}, so that rows another instance holds are skipped, not waited for, and each row is taken
 * by one instance (a queue without a time, {@link #lock(Class, String, int)}). Panache's {@code withHint("jakarta.persistence.lock.timeout", -2)} is refused by
 * Hibernate Reactive ("Hints not supported yet"), hence the session's own query with the lock mode
 * that means it.
 */
public final class DueRows {
    private DueRows() {
    }

    public static <T> Uni<List<T>> lock(Class<T> entity, String query, Instant now, int max) {
        return lock(entity, query, max, selection -> selection.setParameter("now", now));
    }

    /** The same for a queue taken in its order, whose query has no {@code :now}. */
    public static <T> Uni<List<T>> lock(Class<T> entity, String query, int max) {
        return lock(entity, query, max, UnaryOperator.identity());
    }

    private static <T> Uni<List<T>> lock(Class<T> entity, String query, int max, UnaryOperator<Mutiny.SelectionQuery<T>> parameters) {
        return Panache.getSession().chain(session -> parameters.apply(session.createSelectionQuery(query, entity))
                .setLockMode(LockMode.UPGRADE_SKIPLOCKED)
                .setMaxResults(max)
                .getResultList());
    }
}
