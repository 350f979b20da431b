package dev.postgate.common.errors;

import java.sql.SQLException;
import java.util.function.Predicate;

import org.hibernate.JDBCException;

import io.vertx.pgclient.PgException;

/**
 * What PostgreSQL said about a failed statement: its SQL state, read one way wherever a state
 * decides the answer. Any PostgreSQL error among the causes counts, as the reactive client gives
 * it or as Hibernate wraps it.
 */
public final class PgStates {
    /** unique_violation: a row with that key is already there. */
    public static final String UNIQUE_VIOLATION = "23505";

    private PgStates() {
    }

    /** Whether any PostgreSQL error among {@code failure} and its causes has a state that {@code state} accepts. */
    private static boolean any(Throwable failure, Predicate<String> state) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String sqlState = t instanceof PgException pg ? pg.getSqlState()
                    : t instanceof SQLException sql ? sql.getSQLState()
                    : t instanceof JDBCException jdbc ? jdbc.getSQLState() : null;
            if (sqlState != null && state.test(sqlState)) {
                return true;
            }
        }
        return false;
    }

    public static boolean isUniqueViolation(Throwable failure) {
        return any(failure, UNIQUE_VIOLATION::equals);
    }

    /** "invalid byte sequence" (22021) and "untranslatable character" (22P05): text the database cannot store. */
    public static boolean isUnstorableText(Throwable failure) {
        return any(failure, state -> "22021".equals(state) || "22P05".equals(state));
    }

    /**
     * The database gave the statement up for what another transaction did or for the time it took,
     * not for anything in the request: transaction_rollback (40xxx: a deadlock, a serialization
     * failure), lock_not_available (55P03: a lock timeout) and query_canceled (57014: a statement timeout).
     * The transaction is rolled back; the same request sent again can succeed.
     */
    public static boolean isGivenUpForNow(Throwable failure) {
        return any(failure, state -> state.startsWith("40") || "55P03".equals(state) || "57014".equals(state));
    }

    /** connection_exception (08xxx) and operator intervention such as a shutdown (57P0x): the database is not there. */
    public static boolean isUnavailable(Throwable failure) {
        return any(failure, state -> state.startsWith("08") || state.startsWith("57P"));
    }
}
