package dev.postgate.common.testing;

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
 * Plain JDBC on the real test database (see {@link PostgateInfra#testDatabase()}), in one service's
 * schema: for tests that look at what a service stored the way an operator would, or leave rows
 * the way a crashed instance would have.
 */
public final class TestDatabase {
    private final String url;

    private TestDatabase(String schema) {
        this.url = "jdbc:postgresql://127.0.0.1:5432/" + PostgateInfra.testDatabase()
                + "?currentSchema=" + schema;
    }

    public static TestDatabase schema(String schema) {
        return new TestDatabase(schema);
    }

    /** The JDBC URL of this schema in the test database (user and password: postgate). */
    public String url() {
        return url;
    }

    public Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "postgate");
        props.setProperty("password", "postgate");
        return new org.postgresql.Driver().connect(url, props);
    }

    public List<Map<String, Object>> query(String sql, Object... params) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, params);
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

    public int update(String sql, Object... params) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, params);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The one row the query must return. */
    public Map<String, Object> one(String sql, Object... params) {
        List<Map<String, Object>> rows = query(sql, params);
        if (rows.size() != 1) {
            throw new AssertionError(rows.size() + " rows for " + sql);
        }
        return rows.get(0);
    }

    /** The number in the first column of the one row (null counts as 0). */
    public long number(String sql, Object... params) {
        Object value = one(sql, params).values().iterator().next();
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static void bind(PreparedStatement statement, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            statement.setObject(i + 1, params[i]);
        }
    }
}
