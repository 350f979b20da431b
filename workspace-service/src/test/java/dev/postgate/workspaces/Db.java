package dev.postgate.workspaces;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import dev.postgate.common.testing.TestDatabase;

/**
 * Plain JDBC on the real test database (schema workspace_service), to look at what the service
 * stored the way an operator would. Read-only by convention.
 */
public final class Db {
    private static final TestDatabase DB = TestDatabase.schema("workspace_service");

    private Db() {
    }

    public static List<Map<String, Object>> query(String sql, Object... params) {
        return DB.query(sql, params);
    }

    public static int update(String sql, Object... params) {
        return DB.update(sql, params);
    }

    public static long number(String sql, Object... params) {
        return DB.number(sql, params);
    }

    /** The stored balance of a workspace. */
    public static long balance(String workspaceId) {
        return number("select balance from workspace_service.workspaces where id = ?", workspaceId);
    }

    /** The sum of a workspace's ledger amounts: must equal its balance. */
    public static long ledgerSum(String workspaceId) {
        return number("select coalesce(sum(amount), 0) from workspace_service.credit_ledger where workspace_id = ?", workspaceId);
    }

    public static long ledgerCount(String workspaceId, String kind) {
        return number("select count(*) from workspace_service.credit_ledger where workspace_id = ? and kind = ?", workspaceId, kind);
    }

    /** A row lock held by another transaction (as another instance would hold it) until closed. */
    public static final class Lock implements AutoCloseable {
        private final Connection connection;

        private Lock(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void close() throws SQLException {
            connection.rollback();
            connection.close();
        }
    }

    public static Lock lockRow(String selectForUpdate, Object... params) throws SQLException {
        Connection connection = DB.connect();
        connection.setAutoCommit(false);
        try (PreparedStatement statement = connection.prepareStatement(selectForUpdate)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    connection.close();
                    throw new AssertionError("nothing to lock: " + selectForUpdate);
                }
            }
        }
        return new Lock(connection);
    }
}
