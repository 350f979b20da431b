package dev.postgate.keys;

import static dev.postgate.common.testing.EnvelopeChecks.error;
import static dev.postgate.common.testing.EnvelopeChecks.fieldsOf;
import static dev.postgate.common.testing.EnvelopeChecks.unauthorized;
import static dev.postgate.keys.KeyApi.KEYS;
import static dev.postgate.keys.KeyApi.USAGE;
import static dev.postgate.keys.KeyApi.VERIFY;
import static dev.postgate.keys.KeyApi.id;
import static dev.postgate.keys.KeyApi.secret;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.postgate.common.keys.KeyFormat;
import dev.postgate.common.keys.KeyMode;
import dev.postgate.common.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** SPEC section 7: POST /internal/v1/keys/verify and /usage, for the consuming services only. */
@QuarkusTest
class InternalKeyApiTest {
    private final String org = KeyApi.newOrg();

    @Test
    void verifyAnswersTheKeysIdentityForAServiceToken() {
        Instant expiry = Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> key = KeyApi.create(org, "{\"name\": \"worker\", \"scopes\": [\"posts:read\", \"account:read\"],"
                + " \"workspace_ids\": [\"ws_W1\"], \"mode\": \"test\", \"expires_at\": \"" + expiry + "\"}");
        Map<String, Object> verified = KeyApi.verified(secret(key));
        assertEquals(Set.of("id", "org_id", "name", "scopes", "workspace_ids", "mode", "status", "expires_at", "seq"), verified.keySet());
        assertEquals(id(key), verified.get("id"));
        assertEquals(org, verified.get("org_id"));
        assertEquals("worker", verified.get("name"));
        assertEquals(List.of("account:read", "posts:read"), verified.get("scopes"));
        assertEquals(List.of("ws_W1"), verified.get("workspace_ids"));
        assertEquals("test", verified.get("mode"));
        assertEquals("active", verified.get("status"));
        assertEquals(expiry, Instant.parse((String) verified.get("expires_at")));
        assertEquals(1, ((Number) verified.get("seq")).intValue());
    }

    @Test
    void verifyOfAKeyForEveryWorkspaceHasNullWorkspaces() {
        Map<String, Object> verified = KeyApi.verified(secret(KeyApi.create(org)));
        assertTrue(verified.containsKey("workspace_ids"));
        assertNull(verified.get("workspace_ids"));
        assertNull(verified.get("expires_at"));
    }

    @Test
    void verifyAnswersRevokedAndExpiredKeysWithTheirStatus() {
        Map<String, Object> revoked = KeyApi.create(org);
        KeyApi.revoke(org, id(revoked));
        assertEquals("revoked", KeyApi.verified(secret(revoked)).get("status"));

        Map<String, Object> expiring = KeyApi.create(org, "{\"name\": \"brief\", \"preset\": \"full\", \"expires_at\": \""
                + Instant.now().plusSeconds(4) + "\"}");
        await().atMost(Duration.ofSeconds(60)).until(() -> "expired".equals(KeyApi.verified(secret(expiring)).get("status")));
    }

    @Test
    void verifyOfAWellFormedUnknownKeyIs404() {
        error(KeyApi.verify(KeyFormat.generate("pp", KeyMode.LIVE)), 404, "NOT_FOUND");
        error(KeyApi.verify(KeyFormat.generate("pp", KeyMode.TEST)), 404, "NOT_FOUND");
        error(KeyApi.verify("pp_live_sk_0123456789ABCDEFGHIJKLMNOPQRSTUV2zXgei"), 404, "NOT_FOUND");
    }

    @Test
    void verifyOfAMalformedKeyIs422() {
        String key = secret(KeyApi.create(org));
        char last = key.charAt(key.length() - 1);
        String badChecksum = key.substring(0, key.length() - 1) + (last == 'a' ? 'b' : 'a');
        for (String malformed : List.of(badChecksum, key.substring(0, key.length() - 1), key + "x", "pp_live_sk_short",
                "xx" + key.substring(2), "not a key", "")) {
            Map<String, Object> error = error(KeyApi.verify(malformed), 422, "VALIDATION_FAILED");
            assertEquals(List.of("key"), KeyCreateTest.fieldNames(error), () -> malformed + " -> " + error);
        }
        error(KeyApi.service().contentType(ContentType.JSON).body("{}").post(VERIFY), 422, "VALIDATION_FAILED");
        error(KeyApi.service().contentType(ContentType.JSON).body("{\"key\": ").post(VERIFY), 400, "VALIDATION_FAILED");
    }

    @Test
    void seqGrowsWithEveryChangeOfTheKey() {
        Map<String, Object> key = KeyApi.create(org);
        long created = seq(secret(key));
        KeyApi.admin(org).contentType(ContentType.JSON).body("{\"name\": \"renamed\"}").patch(KEYS + "/" + id(key));
        long renamed = seq(secret(key));
        KeyApi.roll(org, id(key), 3600);
        long rolled = seq(secret(key));
        KeyApi.revoke(org, id(key));
        long revoked = seq(secret(key));
        assertEquals(1, created);
        assertTrue(created < renamed && renamed < rolled && rolled < revoked, List.of(created, renamed, rolled, revoked)::toString);
    }

    @Test
    void verifyNeedsAValidServiceToken() {
        String key = secret(KeyApi.create(org));
        Instant now = Instant.now();
        String longLived = Tokens.signService(Tokens.serviceClaims("publish-service").expiresAt(now.plusSeconds(3600)));
        unauthorized(withToken(longLived, key), "invalid");
        String withOrg = Tokens.signService(Tokens.serviceClaims("publish-service").claim("org_id", org));
        unauthorized(withToken(withOrg, key), "invalid");
        String notService = Tokens.signService(Tokens.dashboardClaims(org, "admin"));
        unauthorized(withToken(notService, key), "invalid");
        String expired = Tokens.signService(Tokens.serviceClaims("publish-service").issuedAt(now.minusSeconds(3600))
                .expiresAt(now.minusSeconds(3400)));
        unauthorized(withToken(expired, key), "expired");
        unauthorized(withToken(Tokens.signWithStrangerKey(Tokens.serviceClaims("publish-service")), key), "invalid");
        unauthorized(withToken(Tokens.signHs256(Tokens.serviceClaims("publish-service")), key), "invalid");
    }

    @Test
    void usageMovesLastUsedAtForwardAndNeverBack() {
        String keyId = id(KeyApi.create(org));
        Instant first = Instant.now().minusSeconds(120).truncatedTo(ChronoUnit.MILLIS);
        assertEquals(1, usage(keyId, first));
        assertEquals(first, lastUsedAt(keyId));

        Instant older = first.minusSeconds(3600);
        usage(keyId, older);
        assertEquals(first, lastUsedAt(keyId), "last_used_at never goes back");

        Instant later = first.plusSeconds(60);
        usage(keyId, later);
        assertEquals(later, lastUsedAt(keyId));
    }

    @Test
    void usageFromTheFutureIsClampedToNow() {
        String keyId = id(KeyApi.create(org));
        usage(keyId, Instant.now().plus(Duration.ofDays(365)));
        Instant recorded = lastUsedAt(keyId);
        assertTrue(recorded.isBefore(Instant.now().plusSeconds(120)), recorded::toString);
    }

    @Test
    void usageTakesManyKeysAndIgnoresUnknownOnes() {
        String a = id(KeyApi.create(org));
        String b = id(KeyApi.create(org));
        Instant at = Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.MILLIS);
        Response response = KeyApi.service().contentType(ContentType.JSON).body(Map.of("items", List.of(
                Map.of("key_id", a, "last_used_at", at.toString()),
                Map.of("key_id", b, "last_used_at", at.toString()),
                Map.of("key_id", "key_01ARZ3NDEKTSV4RRFFQ69G5FAV", "last_used_at", at.toString())))).post(USAGE);
        assertEquals(200, response.statusCode(), response.asString());
        assertEquals(2, ((Number) KeyApi.data(response).get("updated")).intValue());
        assertEquals(at, lastUsedAt(a));
        assertEquals(at, lastUsedAt(b));
    }

    /**
     * Two reports naming the same keys in other orders (two instances' reports, each listing its
     * keys in its own hash order) both land: each report updates the keys in one order. Here a key
     * both name is held by another transaction while report one has taken its first key and report
     * two its first; when it is let go, each would wait for the key the other holds. Found by review:
     * the keys were updated in the report's order, and PostgreSQL aborted one report (a deadlock).
     */
    @Test
    void reportsNamingTheSameKeysInOtherOrdersBothLand() throws Exception {
        String a = id(KeyApi.create(org));
        String b = id(KeyApi.create(org));
        String held = id(KeyApi.create(org));
        Instant at = Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.MILLIS);
        CompletableFuture<Response> one;
        CompletableFuture<Response> two;
        try (Connection other = Db.connect()) {
            other.setAutoCommit(false);
            try (PreparedStatement lock = other.prepareStatement("select seq from key_service.api_keys where id = ? for update")) {
                lock.setString(1, held);
                lock.executeQuery().close();
            }
            one = CompletableFuture.supplyAsync(() -> report(at, a, held, b));
            awaitWaiting(1);
            two = CompletableFuture.supplyAsync(() -> report(at, b, held, a));
            awaitWaiting(2);
            other.commit();
        }
        for (Response answer : List.of(one.get(60, TimeUnit.SECONDS), two.get(60, TimeUnit.SECONDS))) {
            assertEquals(200, answer.statusCode(), answer.asString());
        }
        assertEquals(at, lastUsedAt(a));
        assertEquals(at, lastUsedAt(b));
        assertEquals(at, lastUsedAt(held));
    }

    private static Response report(Instant at, String... keyIds) {
        return KeyApi.service().contentType(ContentType.JSON).body(Map.of("items", java.util.Arrays.stream(keyIds)
                .map(id -> Map.of("key_id", id, "last_used_at", at.toString())).toList())).post(USAGE);
    }

    /** Until {@code waiting} updates of keys in this database wait for a row lock. */
    private static void awaitWaiting(int waiting) {
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.count("select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                + " and datname = current_database() and query like 'update key_service.api_keys%' and pid <> pg_backend_pid()") >= waiting);
    }

    @Test
    void usageDoesNotCountAsAChange() {
        Map<String, Object> key = KeyApi.create(org);
        usage(id(key), Instant.now());
        assertEquals(1, seq(secret(key)));
        assertFalse(KeyApi.audit(org, id(key)).stream().anyMatch(e -> !"create".equals(e.get("action"))));
    }

    @Test
    void badUsageReportsAre4xx() {
        assertEquals(List.of("items"), fieldsOf(error(KeyApi.service().contentType(ContentType.JSON).body("{}").post(USAGE), 422,
                "VALIDATION_FAILED")));
        assertEquals(List.of("items[0].last_used_at"), fieldsOf(error(KeyApi.service().contentType(ContentType.JSON)
                .body("{\"items\": [{\"key_id\": \"key_X\"}]}").post(USAGE), 422, "VALIDATION_FAILED")));
        assertEquals(List.of("items[1]"), fieldsOf(error(KeyApi.service().contentType(ContentType.JSON)
                .body("{\"items\": [{\"key_id\": \"key_X\", \"last_used_at\": \"2026-01-01T00:00:00Z\"}, null]}").post(USAGE), 422,
                "VALIDATION_FAILED")));
        error(KeyApi.service().contentType(ContentType.JSON).body("{\"items\": [{\"key_id\": \"key_X\", \"last_used_at\": \"yesterday\"}]}")
                .post(USAGE), 400, "VALIDATION_FAILED");
        error(KeyApi.service().contentType(ContentType.JSON).body("{\"items\": \"all\"}").post(USAGE), 400, "VALIDATION_FAILED");
    }

    private static long seq(String key) {
        return ((Number) KeyApi.verified(key).get("seq")).longValue();
    }

    private static int usage(String keyId, Instant at) {
        Response response = KeyApi.service().contentType(ContentType.JSON)
                .body(Map.of("items", List.of(Map.of("key_id", keyId, "last_used_at", at.toString())))).post(USAGE);
        assertEquals(200, response.statusCode(), response.asString());
        return ((Number) KeyApi.data(response).get("updated")).intValue();
    }

    private Instant lastUsedAt(String keyId) {
        String value = (String) KeyApi.get(org, keyId).get("last_used_at");
        return value == null ? null : Instant.parse(value);
    }

    private static Response withToken(String token, String key) {
        return RestAssured.given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body(Map.of("key", key)).post(VERIFY);
    }
}
