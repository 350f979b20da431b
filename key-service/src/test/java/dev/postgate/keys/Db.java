package dev.postgate.keys;

import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.postgate.common.testing.TestDatabase;

/**
 * Plain JDBC on the real test database (schema key_service), to look at what key-service stored
 * the way an operator would. Read-only by convention.
 */
final class Db {
    private static final TestDatabase DB = TestDatabase.schema("key_service");
    /** %test.postgate.keys.pepper of application.properties. */
    static final String TEST_PEPPER = "test-pepper-not-for-production";

    private Db() {
    }

    static List<Map<String, Object>> query(String sql, Object... params) {
        return DB.query(sql, params);
    }

    static Map<String, Object> one(String sql, Object... params) {
        return DB.one(sql, params);
    }

    /** A connection of its own, for a test that holds a lock while key-service works. */
    static java.sql.Connection connect() throws java.sql.SQLException {
        return DB.connect();
    }

    static long count(String sql, Object... params) {
        return DB.number(sql, params);
    }

    /** HMAC-SHA256(test pepper, key) in hex: what the database should hold for a key. */
    static String hmac(String key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(TEST_PEPPER.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(key.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
