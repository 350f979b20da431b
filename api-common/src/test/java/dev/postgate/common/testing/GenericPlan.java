package dev.postgate.common.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * How PostgreSQL runs a statement by the plan it may keep for all parameters (a generic plan) on
 * empty copies of its tables. The services keep their long statements prepared on each pooled
 * connection, and after five runs PostgreSQL may plan one for good: a plan made while a table
 * looked small (a new deployment, statistics not gathered yet) is kept while the table grows. A
 * sequential scan in that plan reads the whole table on every run (issue 13: the reserve's did).
 */
public final class GenericPlan {
    private GenericPlan() {
    }

    /**
     * The {@code EXPLAIN} of {@code statement} (parameters {@code $1}…, of {@code parameterTypes},
     * run with {@code arguments}, both as SQL lists without parentheses), generically planned on
     * empty temporary copies of {@code tables} of {@code schema}, made on a connection of its own
     * (found before the real tables, gone with the connection).
     */
    public static String explain(String schema, List<String> tables, String statement, String parameterTypes, String arguments)
            throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (Connection connection = TestDatabase.schema(schema).connect(); Statement sql = connection.createStatement()) {
            for (String table : tables) {
                sql.execute("create temporary table " + table + " (like " + schema + "." + table + " including all)");
            }
            sql.execute("set plan_cache_mode = force_generic_plan");
            sql.execute("prepare generic_plan (" + parameterTypes + ") as " + statement);
            try (ResultSet rows = sql.executeQuery("explain execute generic_plan (" + arguments + ")")) {
                while (rows.next()) {
                    plan.append(rows.getString(1)).append('\n');
                }
            }
        }
        return plan.toString();
    }

    /** The tables of {@code tables} that {@code plan} reads by a sequential scan. */
    public static List<String> scannedWhole(String plan, List<String> tables) {
        return tables.stream().filter(t -> plan.matches("(?s).*Seq Scan on " + t + "\\b.*")).toList();
    }
}
