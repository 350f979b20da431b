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
}
