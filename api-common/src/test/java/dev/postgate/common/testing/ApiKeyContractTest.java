package dev.postgate.common.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.postgate.common.keys.KeyFormat;
import dev.postgate.common.keys.KeyMode;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * SPEC sections 3 and 4 for API keys, on a service that accepts them (subclassed by
 * workspace-service and publish-service, which run with a real key-service via
 * {@link KeyServiceResource}): the 401 reasons, the order of checks, scopes, workspaces, rate
 * headers and whoami.
 */
public abstract class ApiKeyContractTest {

    /** A workspace-scoped endpoint and the scope it needs, e.g. GET /api/v1/calendar with calendar:read. */
    protected abstract String scopedPath();

    protected abstract String scopedPathScope();

    /** A workspace of {@code orgId} that keys of that org may use (created through the owning service). */
    protected abstract String createWorkspace(String orgId);

    protected String keyServiceUrl() {
        return KeyServiceResource.url();
    }

    private IssuedKey key(String org, List<String> scopes) {
        return TestKeys.create(keyServiceUrl(), org, scopes);
    }

    private static RequestSpecification as(IssuedKey key) {
        return given().header("Authorization", key.bearer());
    }

    @Test
    void aRequestWithoutCredentialIsRefusedAsMissing() {
        given().get("/api/v1/whoami").then().statusCode(401)
                .body("error.code", equalTo("UNAUTHORIZED")).body("error.reason", equalTo("missing"));
    }

    @Test
    void aKeyWithABadChecksumIsRefusedAsMalformed() {
        IssuedKey key = key(TestKeys.newOrg(), List.of("posts:read"));
        char last = key.secret().charAt(key.secret().length() - 1);
        String typo = key.secret().substring(0, key.secret().length() - 1) + (last == 'a' ? 'b' : 'a');
        given().header("Authorization", "Bearer " + typo).get("/api/v1/whoami").then().statusCode(401)
                .body("error.reason", equalTo("malformed"))
                .body("error.message", not(containsString(typo)));
        given().header("Authorization", "Bearer pp_live_sk_short").get("/api/v1/whoami").then().statusCode(401)
                .body("error.reason", equalTo("malformed"));
        // Found by KeyFormatFuzzTest: text between the prefix and the body, under a checksum that covers it.
        given().header("Authorization", "Bearer pp_test_sk_pp_live_sk_abcdefghijklmnopqrstuvwxyz0061722qMsyo").get("/api/v1/whoami")
                .then().statusCode(401).body("error.reason", equalTo("malformed"));
    }

    @Test
    void anAuthorizationHeaderThatIsNotBearerIsMalformed() {
        given().header("Authorization", "Basic dXNlcjpwYXNz").get("/api/v1/whoami").then().statusCode(401)
                .body("error.reason", equalTo("malformed"));
        given().header("Authorization", "Bearer  two-spaces").get("/api/v1/whoami").then().statusCode(401)
                .body("error.reason", equalTo("malformed"));
    }

    @Test
    void theSchemeIsMatchedCaseInsensitivelyAndXApiKeyWorksToo() {
        IssuedKey key = key(TestKeys.newOrg(), List.of("posts:read"));
        given().header("Authorization", "bearer " + key.secret()).get("/api/v1/whoami").then().statusCode(200);
        given().header("x-api-key", key.secret()).get("/api/v1/whoami").then().statusCode(200)
                .body("data.id", equalTo(key.id()));
    }

    /**
     * A credential header sent on two lines with different values is 401 malformed on every path.
     * Found by review: whoami's route took the first value (200 as that key) while the REST layer
     * joined them with a comma.
     */
    @Test
    void aCredentialHeaderSentTwiceWithDifferentValuesIsMalformedOnEveryPath() {
        IssuedKey one = key(TestKeys.newOrg(), List.of("posts:read", scopedPathScope()));
        IssuedKey two = key(TestKeys.newOrg(), List.of("posts:read", scopedPathScope()));
        for (String path : List.of("/api/v1/whoami", scopedPath())) {
            given().header("x-api-key", one.secret()).header("x-api-key", two.secret()).get(path)
                    .then().statusCode(401).body("error.reason", equalTo("malformed"));
            given().header("Authorization", one.bearer()).header("Authorization", two.bearer()).get(path)
                    .then().statusCode(401).body("error.reason", equalTo("malformed"));
        }
        given().header("x-api-key", one.secret()).header("x-api-key", one.secret()).get("/api/v1/whoami")
                .then().statusCode(200).body("data.id", equalTo(one.id()));
    }

    @Test
    void twoDifferentCredentialsAreMalformedButTheSameKeyTwiceIsFine() {
        IssuedKey one = key(TestKeys.newOrg(), List.of("posts:read"));
        IssuedKey two = key(TestKeys.newOrg(), List.of("posts:read"));
        given().header("Authorization", one.bearer()).header("x-api-key", two.secret()).get("/api/v1/whoami")
                .then().statusCode(401).body("error.reason", equalTo("malformed"));
        given().header("Authorization", one.bearer()).header("x-api-key", one.secret()).get("/api/v1/whoami")
                .then().statusCode(200);
    }

    @Test
    void aWellFormedKeyNobodyIssuedIsInvalid() {
        String unknown = KeyFormat.generate("pp", KeyMode.LIVE);
        given().header("Authorization", "Bearer " + unknown).get("/api/v1/whoami").then().statusCode(401)
                .body("error.reason", equalTo("invalid"));
    }

    @Test
    void aRevokedKeyIsRefusedAsRevoked() {
        IssuedKey key = key(TestKeys.newOrg(), List.of("posts:read"));
        as(key).get("/api/v1/whoami").then().statusCode(200);
        TestKeys.revoke(keyServiceUrl(), key);
        // Generous: the event usually evicts the key within milliseconds (bench/RESULTS.md), but a busy machine may lag.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                as(key).get("/api/v1/whoami").then().statusCode(401).body("error.reason", equalTo("revoked")));
    }

    /**
     * SPEC section 6: key-service writes each key change with an outbox row, and every instance
     * drops a key from its cache on any event about it. A rename is such a change: whoami, answered
     * from the cache, shows the new name soon after, not once the cached entry runs out (10 minutes).
     */
    @Test
    void aRenamedKeyIsShownByItsNewNameSoonAfter() {
        IssuedKey key = key(TestKeys.newOrg(), List.of("posts:read"));
        as(key).get("/api/v1/whoami").then().statusCode(200).body("data.name", equalTo("test key"));
        TestKeys.rename(keyServiceUrl(), key, "renamed key");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                as(key).get("/api/v1/whoami").then().statusCode(200).body("data.name", equalTo("renamed key")));
    }

    @Test
    void anExpiredKeyIsRefusedAsExpiredEvenFromTheCache() {
        String org = TestKeys.newOrg();
        IssuedKey key = TestKeys.create(keyServiceUrl(), org, Map.of("scopes", List.of("posts:read"),
                "expires_at", Instant.now().plusSeconds(8).toString()));
        as(key).get("/api/v1/whoami").then().statusCode(200).body("data.expires_at", notNullValue());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                as(key).get("/api/v1/whoami").then().statusCode(401).body("error.reason", equalTo("expired")));
    }

    @Test
    void aDashboardTokenIsNotAnApiKey() {
        given().header("Authorization", "Bearer " + Tokens.admin(TestKeys.newOrg())).get("/api/v1/whoami")
                .then().statusCode(401).body("error.code", equalTo("UNAUTHORIZED"));
    }

    @Test
    void whoamiDescribesTheCallingKey() {
        String org = TestKeys.newOrg();
        IssuedKey key = TestKeys.create(keyServiceUrl(), org, Map.of("name", "reporting", "scopes", List.of("read"), "mode", "test"));
        as(key).get("/api/v1/whoami").then().statusCode(200)
                .body("data.id", equalTo(key.id()))
                .body("data.name", equalTo("reporting"))
                .body("data.org_id", equalTo(org))
                .body("data.scopes", hasItem("posts:read"))
                .body("data.workspace_ids", nullValue())
                .body("data.mode", equalTo("test"))
                .body("data.expires_at", nullValue())
                .body("data.key", nullValue());
    }

    @Test
    void whoamiIsDocumentedAndTakesGetAndHeadOnly() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/whoami"));
        IssuedKey key = key(TestKeys.newOrg(), List.of("posts:read"));
        as(key).post("/api/v1/whoami").then().statusCode(405).body("error.code", equalTo("METHOD_NOT_ALLOWED"))
                .header("Allow", "GET, HEAD");
        given().options("/api/v1/whoami").then().statusCode(405).body("error.code", equalTo("METHOD_NOT_ALLOWED"))
                .header("Allow", "GET, HEAD");
        // HEAD answers as GET does, without the body.
        as(key).head("/api/v1/whoami").then().statusCode(200).header("X-RateLimit-Remaining", notNullValue())
                .body(equalTo(""));
    }

    @Test
    void aWarmWhoamiIsAnsweredFromTheCache() {
        IssuedKey key = key(TestKeys.newOrg(), List.of("posts:read"));
        // The cache is trusted only while the relay's heartbeats flow.
        await().atMost(Duration.ofSeconds(60))
                .until(() -> given().get("/q/health/group/kafka").statusCode() == 200);
        as(key).get("/api/v1/whoami").then().statusCode(200);
        double missesBefore = Metrics.sum("postgate_key_cache_misses_total");
        double hitsBefore = Metrics.sum("postgate_key_cache_hits_total");
        for (int i = 0; i < 5; i++) {
            as(key).get("/api/v1/whoami").then().statusCode(200);
        }
        assertEquals(missesBefore, Metrics.sum("postgate_key_cache_misses_total"), "no verification with key-service");
        assertTrue(Metrics.sum("postgate_key_cache_hits_total") >= hitsBefore + 5);
    }

    @Test
    void everyKeyAuthenticatedAnswerCarriesRateLimitHeaders() {
        IssuedKey key = key(TestKeys.newOrg(), List.of("posts:read"));
        Response ok = as(key).get("/api/v1/whoami");
        assertEquals(200, ok.statusCode());
        assertEquals("600", ok.header("X-RateLimit-Limit"));
        assertTrue(Integer.parseInt(ok.header("X-RateLimit-Remaining")) < 600);
        assertTrue(Long.parseLong(ok.header("X-RateLimit-Reset")) > Instant.now().getEpochSecond());
        Response refused = as(key).header("X-Workspace-Id", "ws_01JAAAAAAAAAAAAAAAAAAAAAAA").get(scopedPath());
        assertEquals(403, refused.statusCode());
        assertTrue(refused.header("X-RateLimit-Remaining") != null, "also on errors after authentication");
    }

    @Test
    void beyondTheLimitAKeyGets429WithRetryAfter() {
        IssuedKey key = key(TestKeys.newOrg(), List.of("posts:read"));
        Response last = null;
        for (int i = 0; i <= 600; i++) {
            last = as(key).get("/api/v1/whoami");
        }
        assertEquals(429, last.statusCode(), last.asString());
        assertEquals("RATE_LIMITED", last.path("error.code"));
        assertTrue(Integer.parseInt(last.header("Retry-After")) >= 1);
        assertEquals("0", last.header("X-RateLimit-Remaining"));
    }

    /**
     * Issue 14, finding 2 (SPEC section 6): anyone can mint well-formed keys, so each client address
     * may cause at most 300 verifications a minute that end "unknown key"; then 429 before the 401,
     * with Retry-After and no X-RateLimit-*. The address is the right-most X-Forwarded-For entry
     * from a trusted proxy (the test client is on loopback, a proxy by default).
     */
    @Test
    void unknownKeysFromOneAddressAreLimitedBeforeTheyCostMoreVerifications() throws Exception {
        // The limit is per minute (a window from the address's first unknown key): an attempt that a
        // slow machine stretches past the minute proves nothing either way, so it is tried afresh.
        for (int attempt = 1; ; attempt++) {
            long started = System.nanoTime();
            try {
                unknownKeysFromOneAddressAreLimited(attempt);
                return;
            } catch (AssertionError e) {
                long seconds = (System.nanoTime() - started) / 1_000_000_000L;
                if (seconds < 50 || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private void unknownKeysFromOneAddressAreLimited(int attempt) throws Exception {
        int limit = 300;
        int host = 1 + new java.util.Random().nextInt(250);
        // A fresh address for each attempt (documentation ranges: nobody real).
        String attacker = "198.51." + (99 + attempt) + "." + host;
        String bystander = "203.0.113." + host;
        IssuedKey good = key(TestKeys.newOrg(), List.of("posts:read"));
        as(good).header("X-Forwarded-For", attacker).get("/api/v1/whoami").then().statusCode(200);
        // A key the cache knows as unknown is refused from the cache: repeating it costs no verification.
        String repeated = KeyFormat.generate("pp", KeyMode.LIVE);
        for (int i = 0; i < 20; i++) {
            fromAddress(attacker, repeated).get("/api/v1/whoami").then().statusCode(401).body("error.reason", equalTo("invalid"));
        }
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Response>> answers = new java.util.ArrayList<>();
            for (int i = 1; i < limit; i++) {
                answers.add(clients.submit(() -> fromAddress(attacker, KeyFormat.generate("pp", KeyMode.LIVE)).get("/api/v1/whoami")));
            }
            for (java.util.concurrent.Future<Response> answer : answers) {
                assertEquals(401, answer.get().statusCode(), answer.get().asString());
                assertEquals("invalid", answer.get().path("error.reason"));
            }
        } finally {
            clients.shutdownNow();
        }
        for (String path : List.of("/api/v1/whoami", scopedPath())) {
            Response limited = fromAddress(attacker, KeyFormat.generate("pp", KeyMode.LIVE)).get(path);
            assertEquals(429, limited.statusCode(), path + ": " + limited.asString());
            assertEquals("RATE_LIMITED", limited.path("error.code"));
            int retryAfter = Integer.parseInt(limited.header("Retry-After"));
            assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
            assertEquals(null, limited.header("X-RateLimit-Limit"), "the per-key headers belong to a key, not an address");
        }
        // Before the 401 even for a key the cache knows as unknown.
        fromAddress(attacker, repeated).get("/api/v1/whoami").then().statusCode(429);
        // The address's known-good key still works; other addresses are not affected.
        as(good).header("X-Forwarded-For", attacker).get("/api/v1/whoami").then().statusCode(200);
        fromAddress(bystander, KeyFormat.generate("pp", KeyMode.LIVE)).get("/api/v1/whoami").then().statusCode(401);
        // The right-most entry counts: a client cannot pick its address by prepending one.
        fromAddress(bystander + ", " + attacker, KeyFormat.generate("pp", KeyMode.LIVE)).get("/api/v1/whoami")
                .then().statusCode(429);
        fromAddress(attacker + ", " + bystander, KeyFormat.generate("pp", KeyMode.LIVE)).get("/api/v1/whoami")
                .then().statusCode(401);
    }

    private static RequestSpecification fromAddress(String forwardedFor, String key) {
        return given().header("X-Forwarded-For", forwardedFor).header("Authorization", "Bearer " + key);
    }

    @Test
    void aKeyWithoutTheScopeIsRefusedNamingIt() {
        IssuedKey key = key(TestKeys.newOrg(), List.of("analytics:read"));
        as(key).header("X-Workspace-Id", "ws_01JAAAAAAAAAAAAAAAAAAAAAAA").get(scopedPath()).then().statusCode(403)
                .body("error.code", equalTo("INSUFFICIENT_SCOPE"))
                .body("error.required_scope", equalTo(scopedPathScope()))
                .body("error.message", containsString(scopedPathScope()));
    }

    @Test
    void theScopeIsCheckedBeforeTheWorkspace() {
        IssuedKey key = key(TestKeys.newOrg(), List.of("analytics:read"));
        as(key).get(scopedPath()).then().statusCode(403).body("error.code", equalTo("INSUFFICIENT_SCOPE"));
    }

    @Test
    void aWorkspaceScopedPathWithoutTheHeaderIsRefused() {
        IssuedKey key = key(TestKeys.newOrg(), List.of(scopedPathScope()));
        as(key).get(scopedPath()).then().statusCode(400).body("error.code", equalTo("WORKSPACE_REQUIRED"));
    }

    @Test
    void anUnknownOrForeignWorkspaceIsForbidden() {
        String org = TestKeys.newOrg();
        IssuedKey key = key(org, List.of(scopedPathScope()));
        as(key).header("X-Workspace-Id", "ws_01JAAAAAAAAAAAAAAAAAAAAAAA").get(scopedPath()).then().statusCode(403)
                .body("error.code", equalTo("WORKSPACE_FORBIDDEN"));
        String foreign = createWorkspace(TestKeys.newOrg());
        as(key).header("X-Workspace-Id", foreign).get(scopedPath()).then().statusCode(403)
                .body("error.code", equalTo("WORKSPACE_FORBIDDEN"));
        String own = createWorkspace(org);
        as(key).header("X-Workspace-Id", own).get(scopedPath()).then().statusCode(200);
    }

    @Test
    void aKeyLimitedToSomeWorkspacesCannotUseOthers() {
        String org = TestKeys.newOrg();
        String allowed = createWorkspace(org);
        String other = createWorkspace(org);
        IssuedKey key = TestKeys.create(keyServiceUrl(), org, Map.of("scopes", List.of(scopedPathScope()),
                "workspace_ids", List.of(allowed)));
        as(key).header("X-Workspace-Id", allowed).get(scopedPath()).then().statusCode(200);
        as(key).header("X-Workspace-Id", other).get(scopedPath()).then().statusCode(403)
                .body("error.code", equalTo("WORKSPACE_FORBIDDEN"));
    }
}
