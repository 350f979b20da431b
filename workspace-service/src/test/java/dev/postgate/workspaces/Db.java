package dev.postgate.workspaces;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Plain JDBC on the real test database (schema workspace_service), to look at what the service
 * stored the way an operator would. Read-only by convention.
 */
public final class Db {
    static final String URL = "jdbc:postgresql://127.0.0.1:5432/" + System.getProperty("postgate.test.db", "postgate_test");

    private Db() {
    }

    public static List<Map<String, Object>> query(String sql, Object... params) {
        Properties props = new Properties();
        props.setProperty("user", "postgate");
        props.setProperty("password", "postgate");
        try (Connection connection = new org.postgresql.Driver().connect(URL, props);
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= meta.getColumnCount(); c++) {
                        row.put(meta.getColumnLabel(c), rs.getObject(c));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public static long number(String sql, Object... params) {
        List<Map<String, Object>> rows = query(sql, params);
        if (rows.size() != 1) {
            throw new AssertionError(rows.size() + " rows for " + sql);
        }
        Object value = rows.get(0).values().iterator().next();
        return value == null ? 0 : ((Number) value).longValue();
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
        Properties props = new Properties();
        props.setProperty("user", "postgate");
        props.setProperty("password", "postgate");
        Connection connection = new org.postgresql.Driver().connect(URL, props);
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
