package dev.postgate.publish;

import java.util.List;
import java.util.Map;

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
}
