package dev.postgate.publish;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.postgate.common.testing.TestDatabase;

/**
 * Plain JDBC on the real test database (schema publish_service): to look at what
 * publish-service stored, and to leave rows the way a crashed instance would have left them.
 */
final class Db {
    private static final TestDatabase DB = TestDatabase.schema("publish_service");

    private Db() {
    }

    static List<Map<String, Object>> query(String sql, Object... params) {
        return DB.query(sql, params);
    }

    static int update(String sql, Object... params) {
        return DB.update(sql, params);
    }

    static long count(String sql, Object... params) {
        return DB.number(sql, params);
    }

    /** Undoes what it stood for when closed, without a checked exception. */
    interface Undo extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Holds up workspace-service's writing of {@code kind} ledger entries (settle, refund…) for
     * one workspace by 2.5 s, with a trigger in its schema, until closed: bookkeeping that is
     * slow to answer, for tests of what does not wait for it.
     */
    static Undo slowLedger(String kind, String workspaceId) {
        return slowLedger(kind, workspaceId, 2.5);
    }

    /** As {@link #slowLedger(String, String)}, held up by {@code seconds}. */
    static Undo slowLedger(String kind, String workspaceId, double seconds) {
        String name = "slow_" + kind + "_" + workspaceId.toLowerCase();
        String function = "workspace_service." + name;
        update("create function " + function + "() returns trigger language plpgsql as $$ begin"
                + " if new.kind = '" + kind + "' and new.workspace_id = '" + workspaceId + "' then perform pg_sleep(" + seconds + "); end if;"
                + " return new; end $$");
        update("create trigger " + name + " before insert on workspace_service.credit_ledger for each row execute function "
                + function + "()");
        return () -> {
            update("drop trigger " + name + " on workspace_service.credit_ledger");
            update("drop function " + function + "()");
        };
    }

    /**
     * Holds up workspace-service's reads of social accounts until closed: their table is locked in a
     * transaction of its own connection. Close it within workspace-service's client's 3 s of the read.
     */
    static Undo lockAccounts() {
        try {
            Connection connection = DB.connect();
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("lock table workspace_service.social_accounts in access exclusive mode");
            }
            return () -> {
                try (connection) {
                    connection.rollback();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            };
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until a statement whose text contains {@code text} waits on {@code waitEventType} ({@code Lock}, {@code Timeout}…). */
    static void awaitWaiting(String text, String waitEventType) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (count("select count(*) from pg_stat_activity where wait_event_type = ? and query like ? and pid <> pg_backend_pid()",
                waitEventType, "%" + text + "%") == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Nothing waited on " + waitEventType + " with " + text + " in 20 s.");
            }
            pause(20);
        }
    }

    /**
     * The fewest of publish-service's sessions seen inside a transaction and idle, over ten looks
     * 30 ms apart: a session held open stays in every look, while its short transactions come and go.
     */
    static long fewestIdleInTransaction() {
        long fewest = Long.MAX_VALUE;
        for (int look = 0; look < 10; look++) {
            fewest = Math.min(fewest, count("select count(*) from pg_stat_activity where datname = current_database()"
                    + " and application_name = 'publish-service' and state = 'idle in transaction'"));
            pause(30);
        }
        return fewest;
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
