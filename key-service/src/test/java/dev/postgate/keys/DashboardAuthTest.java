package dev.postgate.keys;

import static dev.postgate.common.testing.EnvelopeChecks.error;
import static dev.postgate.common.testing.EnvelopeChecks.fieldsOf;
import static dev.postgate.common.testing.EnvelopeChecks.unauthorized;
import static dev.postgate.keys.KeyApi.KEYS;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.postgate.common.keys.KeyFormat;
import dev.postgate.common.keys.KeyMode;
import dev.postgate.common.keys.Scopes;
import dev.postgate.common.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;

/** SPEC section 3: the management paths take a valid dashboard JWT and nothing else. */
@QuarkusTest
class DashboardAuthTest {
    private final String org = KeyApi.newOrg();

    /** Issue 17: the development sign-in's body is checked like every other, each bad field named in the 422. */
    @Test
    void devSignInNamesEachBadField() {
        Response bad = given().contentType(ContentType.JSON).body("{\"org_id\": \"no spaces\", \"group\": \"owner\"}")
                .post("/dashboard/dev-sign-in");
        Map<String, Object> error = error(bad, 422, "VALIDATION_FAILED");
        assertEquals(List.of("org_id", "group"), fieldsOf(error), error::toString);
        assertTrue(String.valueOf(error.get("fields")).contains("group is 'admin' or 'member'."), error::toString);
        Response empty = given().contentType(ContentType.JSON).body("{}").post("/dashboard/dev-sign-in");
        assertEquals(List.of("org_id", "group"), fieldsOf(error(empty, 422, "VALIDATION_FAILED")));
    }

    /**
     * The key dialogs offer what the key API applies, from one source: the page takes the scopes,
     * presets, spending scopes, limits and scanning pattern from /dashboard/config instead of
     * holding copies that a new scope would leave behind.
     */
    @Test
    @SuppressWarnings("unchecked")
    void thePageIsToldWhatTheKeyDialogsOfferByTheRulesTheApiApplies() {
        Map<String, Object> options = given().get("/dashboard/config").then().statusCode(200).extract().path("data.keys");
        assertEquals(Scopes.ALL, options.get("scopes"));
        Map<String, List<String>> presets = (Map<String, List<String>>) options.get("presets");
        assertEquals(List.of("full", "draft", "read_only"), List.copyOf(presets.keySet()), "widest first");
        for (Map.Entry<String, List<String>> preset : presets.entrySet()) {
            Map<String, Object> created = KeyApi.data(KeyApi.post(org, KEYS, "{\"name\": \"preset " + preset.getKey()
                    + "\", \"preset\": \"" + preset.getKey() + "\"}"));
            assertEquals(preset.getValue(), created.get("scopes"), "the API gives a " + preset.getKey() + " key these scopes");
        }
        assertEquals(Scopes.SPENDING.stream().sorted().toList(), options.get("spending"));
        assertEquals(100, options.get("max_name"));
        assertEquals(604800, ((Number) options.get("max_roll_overlap_seconds")).intValue());
        String secret = (String) KeyApi.create(org).get("key");
        assertTrue(secret.matches((String) options.get("pattern")), options.get("pattern") + " finds " + secret.length());
    }

    /** The page asks for the largest page the API takes, told by the API, so that a lower limit never makes its lists 400. */
    @Test
    void thePageIsToldTheLargestPageTheListsTake() {
        int limit = given().get("/dashboard/config").then().statusCode(200).extract().path("data.page_limit");
        KeyApi.admin(org).get(KEYS + "?limit=" + limit).then().statusCode(200);
        error(KeyApi.admin(org).get(KEYS + "?limit=" + (limit + 1)), 400, "VALIDATION_FAILED");
    }

    /**
     * Issue 14, finding 12: the scripts have unversioned names, so browsers must revalidate them, not
     * keep them a day. Issue 17: the page is a few ES modules by screen (no bundler), each served as
     * JavaScript, which browsers require of a module.
     */
    @Test
    void theDashboardScriptsAreRevalidatedNotKeptForADay() {
        for (String module : List.of("app", "state", "dom", "api", "session", "views", "dialogs", "signin", "keys", "workspaces",
                "usage")) {
            Response script = given().get("/dashboard/" + module + ".js");
            assertEquals(200, script.statusCode(), module);
            assertTrue(String.valueOf(script.contentType()).contains("javascript"), module + ": " + script.contentType());
            String cache = String.valueOf(script.header("Cache-Control"));
            assertFalse(cache.contains("immutable") || cache.contains("max-age=86400"), module + ": " + cache);
            assertTrue(cache.contains("no-cache"), module + ": " + cache);
        }
    }

    /**
     * SPEC section 4: a wrong method on a path that is served is a 405 naming the methods it takes.
     * The dashboard's files and Swagger UI are read with GET and HEAD: before, PUT /docs was
     * redirected, a POST to a script was a 404, and OPTIONS answered 405 without naming a method.
     * The page's own endpoints keep theirs (the development sign-in takes POST).
     */
    @Test
    void theStaticFilesAndSwaggerUiTakeGetAndHeadOnly() {
        given().get("/dashboard/app.js").then().statusCode(200);
        for (String path : List.of("/dashboard/app.js", "/dashboard/app.css", "/docs", "/docs/", "/docs/index.html")) {
            for (String method : List.of("PUT", "POST", "DELETE", "PATCH", "OPTIONS")) {
                Response refused = given().redirects().follow(false).request(method, path);
                error(refused, 405, "METHOD_NOT_ALLOWED");
                assertEquals("GET, HEAD", refused.header("Allow"), () -> method + " " + path + ": " + refused.asString());
            }
        }
        Response docs = given().redirects().follow(false).get("/docs");
        assertTrue(docs.statusCode() == 200 || docs.statusCode() == 301 || docs.statusCode() == 302, docs::asString);
        given().get("/docs/index.html").then().statusCode(200);
        given().head("/dashboard/app.js").then().statusCode(200);
        error(given().put("/dashboard/config"), 405, "METHOD_NOT_ALLOWED");
        error(given().contentType(ContentType.JSON).body("{}").post("/dashboard/dev-sign-in"), 422, "VALIDATION_FAILED");
    }

    /**
     * The page's headers (its Content-Security-Policy above all) hold at each address that serves
     * it: /dashboard/ too, which nginx forwards and links may use. No copy is served without them.
     */
    @Test
    void everyAddressOfThePageSendsItsSecurityHeaders() {
        for (String path : new String[] { "/dashboard", "/dashboard/", "/dashboard/index.html" }) {
            Response page = given().redirects().follow(false).get(path);
            if (path.endsWith("index.html") && page.statusCode() == 404) {
                continue;
            }
            assertEquals(200, page.statusCode(), path);
            assertTrue(page.asString().contains("/dashboard/app.js"), path + " serves the page");
            String csp = String.valueOf(page.header("Content-Security-Policy"));
            assertTrue(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), path + ": " + csp);
            assertEquals("no-referrer", page.header("Referrer-Policy"), path);
            assertEquals("nosniff", page.header("X-Content-Type-Options"), path);
            assertEquals("no-store", page.header("Cache-Control"), path);
        }
    }

    @Test
    void noCredentialIs401Missing() {
        unauthorized(given().get(KEYS), "missing");
        unauthorized(given().contentType(ContentType.JSON).body("{\"name\": \"x\", \"preset\": \"full\"}").post(KEYS), "missing");
        unauthorized(given().get(KEYS + "/key_01ARZ3NDEKTSV4RRFFQ69G5FAV"), "missing");
    }

    @Test
    void wrongIssuerIs401() {
        unauthorized(bearer(Tokens.signDashboard(Tokens.dashboardClaims(org, "admin").issuer("someone-else"))), "invalid");
    }

    @Test
    void wrongAudienceIs401() {
        unauthorized(bearer(Tokens.signDashboard(Tokens.dashboardClaims(org, "admin").audience("another-api"))), "invalid");
    }

    @Test
    void expiredTokenIs401Expired() {
        Instant past = Instant.now().minusSeconds(7200);
        unauthorized(bearer(Tokens.signDashboard(Tokens.dashboardClaims(org, "admin").issuedAt(past).expiresAt(past.plusSeconds(600)))),
                "expired");
    }

    @Test
    void tokenSignedByAStrangerIs401() {
        unauthorized(bearer(Tokens.signWithStrangerKey(Tokens.dashboardClaims(org, "admin"))), "invalid");
    }

    @Test
    void hs256TokenIs401() {
        unauthorized(bearer(Tokens.signHs256(Tokens.dashboardClaims(org, "admin"))), "invalid");
    }

    @Test
    void unsignedTokenIs401() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        long now = Instant.now().getEpochSecond();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(("{\"iss\":\"postgate\",\"aud\":\"postgate\",\"sub\":\"u\",\"org_id\":\"" + org
                + "\",\"groups\":[\"admin\"],\"iat\":" + now + ",\"exp\":" + (now + 600) + "}").getBytes(StandardCharsets.UTF_8));
        unauthorized(bearer(header + "." + claims + "."), "invalid");
    }

    @Test
    void tokenWithoutOrgIs401() {
        Instant now = Instant.now();
        String token = Tokens.signDashboard(Jwt.issuer("postgate").audience("postgate").subject("user_1").groups(Set.of("admin"))
                .issuedAt(now).expiresAt(now.plusSeconds(600)));
        unauthorized(bearer(token), "invalid");
    }

    @Test
    void garbageBearerIs401() {
        unauthorized(bearer("not.a.jwt"), "invalid");
        unauthorized(bearer("abc"), "invalid");
    }

    @Test
    void authorizationThatIsNotBearerIs401Malformed() {
        unauthorized(given().header("Authorization", "Basic dXNlcjpwYXNz").get(KEYS), "malformed");
        unauthorized(given().header("Authorization", "Bearer  " + Tokens.admin(org)).get(KEYS), "malformed");
    }

    @Test
    void bearerSchemeIsCaseInsensitive() {
        Response response = given().header("Authorization", "bEaReR " + Tokens.member(org)).get(KEYS);
        assertEquals(200, response.statusCode(), response.asString());
    }

    @Test
    void serviceTokenIsRefusedOnThePublicPaths() {
        unauthorized(bearer(Tokens.service("publish-service")), "invalid");
        String path = KEYS + "/" + KeyApi.id(KeyApi.create(org)) + "/revoke";
        unauthorized(given().header("Authorization", "Bearer " + Tokens.service("publish-service")).post(path), "invalid");
        assertEquals("active", KeyApi.get(org, path.split("/")[4]).get("status"));
    }

    @Test
    void serviceClaimsSignedWithTheDashboardKeyAreRefusedToo() {
        unauthorized(bearer(Tokens.signDashboard(Tokens.serviceClaims("publish-service").claim("org_id", org))), "invalid");
    }

    @Test
    void dashboardTokenIsRefusedOnTheInternalPaths() {
        String key = KeyApi.secret(KeyApi.create(org));
        unauthorized(KeyApi.admin(org).contentType(ContentType.JSON).body(Map.of("key", key)).post(KeyApi.VERIFY), "invalid");
        unauthorized(KeyApi.admin(org).contentType(ContentType.JSON).body("{\"items\": []}").post(KeyApi.USAGE), "invalid");
        unauthorized(given().contentType(ContentType.JSON).body(Map.of("key", key)).post(KeyApi.VERIFY), "missing");
    }

    @Test
    void apiKeyIsRefusedOnTheManagementPaths() {
        String key = KeyApi.secret(KeyApi.create(org));
        unauthorized(given().header("Authorization", "Bearer " + key).get(KEYS), "invalid");
        unauthorized(given().header("x-api-key", key).get(KEYS), "invalid");
        unauthorized(given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body("{\"name\": \"x\", \"preset\": \"full\"}").post(KEYS), "invalid");
        unauthorized(given().header("Authorization", "Bearer " + KeyFormat.generate("pp", KeyMode.TEST)).get(KEYS), "invalid");
    }

    @Test
    void apiKeyIsRefusedOnTheInternalPaths() {
        String key = KeyApi.secret(KeyApi.create(org));
        unauthorized(given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body(Map.of("key", key))
                .post(KeyApi.VERIFY), "invalid");
    }

    @Test
    void differentBearerAndApiKeyHeadersAre401Malformed() {
        unauthorized(KeyApi.admin(org).header("x-api-key", KeyFormat.generate("pp", KeyMode.LIVE)).get(KEYS), "malformed");
    }

    private static Response bearer(String token) {
        return given().header("Authorization", "Bearer " + token).get(KEYS);
    }
}
