package dev.postgate.common.errors;

import io.vertx.pgclient.PgException;

/** What PostgreSQL said about a failed statement: its SQL state, read one way wherever a state decides the answer. */
public final class PgStates {
    /** unique_violation: a row with that key is already there. */
    public static final String UNIQUE_VIOLATION = "23505";

    private PgStates() {
    }

    /** The SQL state of the first PostgreSQL error among {@code failure} and its causes; null when there is none. */
    public static String of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg && pg.getSqlState() != null) {
                return pg.getSqlState();
            }
        }
        return null;
    }

    public static boolean isUniqueViolation(Throwable failure) {
        return UNIQUE_VIOLATION.equals(of(failure));
    }

    /** "invalid byte sequence" (22021) and "untranslatable character" (22P05): text the database cannot store. */
    public static boolean isUnstorableText(Throwable failure) {
        String state = of(failure);
        return "22021".equals(state) || "22P05".equals(state);
    }

    /** connection_exception (08xxx) and operator intervention such as a shutdown (57P0x): the database is not there. */
    public static boolean isUnavailable(Throwable failure) {
        String state = of(failure);
        return state != null && (state.startsWith("08") || state.startsWith("57P"));
    }
}
