package dev.postgate.common.errors;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.concurrent.CompletionException;

import org.hibernate.exception.DataException;
import org.junit.jupiter.api.Test;

import io.vertx.pgclient.PgException;

class PgStatesTest {

    /**
     * Found by review: Hibernate wraps what PostgreSQL said in its own exception, whose state went
     * unread, so a NUL that reached a Hibernate query was a 500 instead of the 422 of SPEC section 4.
     */
    @Test
    void theStateIsReadAsTheReactiveClientGivesItAndAsHibernateWrapsIt() {
        PgException pg = new PgException("invalid byte sequence for encoding \"UTF8\": 0x00", "ERROR", "22021", null);
        assertTrue(PgStates.isUnstorableText(pg));
        assertTrue(PgStates.isUnstorableText(new CompletionException(pg)));
        DataException wrapped = new DataException("error executing SQL statement", new SQLException("invalid byte sequence", "22021"));
        assertTrue(PgStates.isUnstorableText(wrapped));
        assertTrue(PgStates.isUnstorableText(new CompletionException(wrapped)));
        assertTrue(PgStates.isUniqueViolation(new SQLException("duplicate key", PgStates.UNIQUE_VIOLATION)));
        assertFalse(PgStates.isUnstorableText(new SQLException("duplicate key", PgStates.UNIQUE_VIOLATION)));
        assertFalse(PgStates.isUnavailable(new IllegalStateException("not a database error")));
    }

    @Test
    void aDeadlockASerializationFailureAndATimeoutAreGivenUpForNowNotAConflictOfTheRequest() {
        for (String state : new String[] { "40P01", "40001", "55P03", "57014" }) {
            assertTrue(PgStates.isGivenUpForNow(new CompletionException(new PgException("rolled back", "ERROR", state, null))), state);
            assertTrue(PgStates.isGivenUpForNow(new DataException("error executing SQL statement", new SQLException("rolled back", state))),
                    state);
        }
        assertFalse(PgStates.isGivenUpForNow(new SQLException("duplicate key", PgStates.UNIQUE_VIOLATION)));
        assertFalse(PgStates.isGivenUpForNow(new SQLException("invalid byte sequence", "22021")));
        assertFalse(PgStates.isGivenUpForNow(new IllegalStateException("not a database error")));
    }
}
