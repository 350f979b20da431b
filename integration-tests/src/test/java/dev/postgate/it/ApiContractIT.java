package dev.postgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.postgate.common.testing.GitHubScanningPair;
import dev.postgate.common.testing.Tokens;
import dev.postgate.it.Wire.Answer;

/**
 * Through the proxy, the answers are what the served API document says: the README's quick start,
 * a publishing flow, and one request of every error class, each answer (status, headers and body)
 * validated against the document key-service serves with Atlassian's swagger-request-validator
 * (OpenAPI 3.0), which refuses properties the document does not name.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiContractIT {
    static final ObjectMapper JSON = Wire.JSON;
    /** Low enough for the 429 check to reach it; each test uses its own keys. */
    static final int RATE_LIMIT = 40;

    static ProxiedStack stack;
    static OpenApiInteractionValidator validator;
    /** The stand-in for GitHub's secret-scanning key that key-service trusts here. */
    static final GitHubScanningPair GITHUB = GitHubScanningPair.in(Path.of("target", "github-scanning"));
    static JsonNode document;

    @BeforeAll
    static void start() throws Exception {
        stack = ProxiedStack.named("contract")
                .keysEnv("POSTGATE_SECRET_SCANNING_GITHUB_KEYS_URL", GITHUB.document().toString())
                .publishEnv("POSTGATE_KEY_CLIENT_RATE_LIMIT_PER_MINUTE", String.valueOf(RATE_LIMIT))
                .start();
        Answer served = send("GET", "/api/v1/openapi.json", Map.of(), null);
        assertEquals(200, served.status());
        document = served.json();
        validator = OpenApiInteractionValidator.createForInlineApiSpecification(served.body()).build();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    // ------------------------------------------------------------------ the document itself

    @Test
    @Order(1)
    void theProxyServesTheBuiltDocumentRawAndTheReferencePage() throws Exception {
        Path copy = ApiDocument.root().resolve(ApiDocument.SERVED);
        Answer json = send("GET", "/api/v1/openapi.json", Map.of(), null);
        Answer yaml = send("GET", "/api/v1/openapi.yaml", Map.of(), null);
        assertEquals(Files.readString(copy.resolve("openapi.json")), json.body(), "served JSON = key-service's packaged copy");
        assertEquals(Files.readString(copy.resolve("openapi.yaml")), yaml.body(), "served YAML = key-service's packaged copy");
        Path built = ApiDocument.root().resolve("integration-tests/target/openapi/openapi.json");
        if (Files.isRegularFile(built)) {
            // ApiDocumentTest (surefire, same build) merged the services' documents into this file.
            assertEquals(Files.readString(built), json.body(), "served = built from the services' documents");
        } else {
            assertEquals(ApiDocument.build().json(), json.body(), "served = built from the services' documents");
        }
        assertTrue(json.header("Content-Type").startsWith("application/json"));
        assertTrue(yaml.header("Content-Type").startsWith("application/yaml"));
        assertEquals(ApiDocument.YAML.readTree(yaml.body()), JSON.readTree(json.body()), "the YAML says what the JSON says");
        validate("GET", "/api/v1/openapi.json", json);

        Answer page = send("GET", "/docs/", Map.of(), null);
        assertEquals(200, page.status());
        assertTrue(page.body().contains("swagger-ui"), "Swagger UI at /docs");
        assertTrue(page.body().contains("/api/v1/openapi.json"), "/docs renders the one document");
        assertFalse(page.body().matches("(?s).*src=\"https?://.*"), "/docs loads nothing from elsewhere (no CDN)");
        for (String asset : assets(page.body())) {
            assertEquals(200, send("GET", asset.startsWith("/") ? asset : "/docs/" + asset, Map.of(), null).status(), asset);
        }
    }

    private static List<String> assets(String html) {
        List<String> assets = new ArrayList<>();
        java.util.regex.Matcher m = Pattern.compile("(?:src|href)=\"([^\"#?]+\\.(?:js|css))\"").matcher(html);
        while (m.find()) {
            assets.add(m.group(1));
        }
        assertFalse(assets.isEmpty(), "the page loads its scripts and styles: " + html);
        return assets;
    }

    // ------------------------------------------------------------------ the README's quick start

    @Test
    @Order(2)
    void theQuickStartAnswersAreWhatTheDocumentSays() throws Exception {
        String token = Tokens.admin(org());
        Answer created = call("POST", "/api/v1/keys", Map.of("Authorization", "Bearer " + token),
                "{\"name\":\"my first key\",\"preset\":\"full\"}");
        assertEquals(201, created.status());
        String key = created.json().path("data").path("key").asText();
        String keyId = created.json().path("data").path("id").asText();

        Answer whoami = call("GET", "/api/v1/whoami", Map.of("Authorization", "Bearer " + key), null);
        assertEquals(200, whoami.status());
        assertEquals(keyId, whoami.json().path("data").path("id").asText());
        assertNotNull(whoami.header("X-RateLimit-Remaining"));
        assertEquals(200, call("GET", "/api/v1/whoami", Map.of("x-api-key", key), null).status());

        Answer revoked = call("POST", "/api/v1/keys/" + keyId + "/revoke", Map.of("Authorization", "Bearer " + token),
                "{\"reason\":\"quick start\"}");
        assertEquals(200, revoked.status());
        // The revocation reaches the consumers' caches as an event, usually within milliseconds (bench/RESULTS.md);
        // on a busy machine the next request may still beat it (no receipt is waited for here, SPEC section 6).
        Answer refused = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .pollInterval(java.time.Duration.ofMillis(100))
                .until(() -> call("GET", "/api/v1/whoami", Map.of("Authorization", "Bearer " + key), null), a -> a.status() != 200);
        assertEquals(401, refused.status());
        assertEquals("revoked", refused.json().path("error").path("reason").asText());
    }

    // ------------------------------------------------------------------ a publishing flow

    @Test
    @Order(3)
    void aPublishingFlowAnswersAreWhatTheDocumentSays() throws Exception {
        String org = org();
        Map<String, String> admin = Map.of("Authorization", "Bearer " + Tokens.admin(org));
        String workspace = call("POST", "/api/v1/workspaces", admin, "{\"name\":\"contract\"}").json().path("data").path("id").asText();
        call("POST", "/api/v1/workspaces/" + workspace + "/credits/grants", admin, "{\"amount\":100,\"reason\":\"contract\"}");
        String account = call("POST", "/api/v1/workspaces/" + workspace + "/accounts", admin,
                "{\"platform\":\"x\",\"name\":\"contract\"}").json().path("data").path("id").asText();
        call("GET", "/api/v1/workspaces", admin, null);
        call("GET", "/api/v1/workspaces/" + workspace + "/ledger", admin, null);
        String key = call("POST", "/api/v1/keys", admin, "{\"name\":\"flow\",\"preset\":\"full\"}").json().path("data").path("key")
                .asText();
        call("GET", "/api/v1/keys", admin, null);

        Map<String, String> api = Map.of("Authorization", "Bearer " + key, "X-Workspace-Id", workspace);
        String post = call("POST", "/api/v1/posts", api, "{\"content\":\"hello\",\"account_ids\":[\"" + account + "\"]}")
                .json().path("data").path("id").asText();
        Answer published = call("POST", "/api/v1/posts/" + post + "/publish", api, "{}");
        assertEquals(202, published.status());
        assertEquals("1", published.header("X-Credits-Cost"));
        call("GET", "/api/v1/posts/" + post + "/results", api, null);
        call("GET", "/api/v1/posts?limit=1", api, null);
        call("GET", "/api/v1/account/credits", Map.of("Authorization", "Bearer " + key), null);
        call("GET", "/api/v1/accounts", Map.of("x-api-key", key), null);
        Answer image = call("POST", "/api/v1/images/generate", api, "{\"prompt\":\"a lighthouse\"}");
        assertEquals(201, image.status());
        call("GET", "/api/v1/media/" + image.json().path("data").path("media_id").asText(), api, null);
        call("POST", "/api/v1/calendar", api, "{\"title\":\"launch\",\"starts_at\":\"2030-01-01T10:00:00Z\"}");
        call("GET", "/api/v1/calendar", api, null);
    }

    // ------------------------------------------------------------------ one request of every error class

    @Test
    @Order(4)
    void everyErrorClassAnswersAsTheDocumentSays() throws Exception {
        String org = org();
        Map<String, String> admin = Map.of("Authorization", "Bearer " + Tokens.admin(org));
        String full = call("POST", "/api/v1/keys", admin, "{\"name\":\"errors\",\"preset\":\"full\"}").json().path("data")
                .path("key").asText();
        String readOnly = call("POST", "/api/v1/keys", admin, "{\"name\":\"read\",\"preset\":\"read_only\"}").json().path("data")
                .path("key").asText();
        String workspace = call("POST", "/api/v1/workspaces", admin, "{\"name\":\"poor\"}").json().path("data").path("id").asText();
        String account = call("POST", "/api/v1/workspaces/" + workspace + "/accounts", admin,
                "{\"platform\":\"x\",\"name\":\"poor\"}").json().path("data").path("id").asText();
        Map<String, String> api = Map.of("Authorization", "Bearer " + full, "X-Workspace-Id", workspace);

        expect(400, "VALIDATION_FAILED", call("GET", "/api/v1/keys?limit=0", admin, null));
        expect(400, "VALIDATION_FAILED", call("POST", "/api/v1/keys", admin, "{\"name\":"));
        expect(400, "WORKSPACE_REQUIRED", call("GET", "/api/v1/posts", Map.of("Authorization", "Bearer " + full), null));
        Answer missing = expect(401, "UNAUTHORIZED", call("GET", "/api/v1/keys", Map.of(), null));
        assertEquals("missing", missing.json().path("error").path("reason").asText());
        expect(401, "UNAUTHORIZED", call("GET", "/api/v1/whoami", Map.of("Authorization", "Bearer pp_live_sk_nope"), null));
        String post = call("POST", "/api/v1/posts", api, "{\"content\":\"no credits\",\"account_ids\":[\"" + account + "\"]}")
                .json().path("data").path("id").asText();
        Answer poor = expect(402, "INSUFFICIENT_CREDITS", call("POST", "/api/v1/posts/" + post + "/publish", api, "{}"));
        assertEquals(1, poor.json().path("error").path("required").asLong());
        assertEquals(0, poor.json().path("error").path("balance").asLong());
        expect(402, "INSUFFICIENT_CREDITS", call("POST", "/api/v1/images/generate", api, "{\"prompt\":\"x\"}"));
        Answer scope = expect(403, "INSUFFICIENT_SCOPE", call("POST", "/api/v1/posts",
                Map.of("Authorization", "Bearer " + readOnly, "X-Workspace-Id", workspace), "{\"content\":\"x\",\"account_ids\":[]}"));
        assertEquals("posts:write", scope.json().path("error").path("required_scope").asText());
        expect(403, "WORKSPACE_FORBIDDEN", call("GET", "/api/v1/posts",
                Map.of("Authorization", "Bearer " + full, "X-Workspace-Id", "ws_unknown"), null));
        expect(403, "FORBIDDEN", call("POST", "/api/v1/keys", Map.of("Authorization", "Bearer " + Tokens.member(org)),
                "{\"name\":\"member\"}"));
        expect(404, "NOT_FOUND", call("GET", "/api/v1/keys/key_absent", admin, null));
        expect(404, "NOT_FOUND", call("GET", "/api/v1/posts/post_absent", api, null));
        Map<String, String> once = new LinkedHashMap<>(api);
        once.put("Idempotency-Key", "contract-" + UUID.randomUUID());
        call("POST", "/api/v1/calendar", once, "{\"title\":\"a\",\"starts_at\":\"2030-01-01T10:00:00Z\"}");
        expect(409, "IDEMPOTENCY_CONFLICT", call("POST", "/api/v1/calendar", once,
                "{\"title\":\"b\",\"starts_at\":\"2030-01-01T10:00:00Z\"}"));
        expect(413, "PAYLOAD_TOO_LARGE", call("POST", "/api/v1/keys", admin, "{\"name\":\"" + "x".repeat(2_000_000) + "\"}"));
        expect(415, "UNSUPPORTED_MEDIA_TYPE", call("POST", "/api/v1/keys",
                Map.of("Authorization", "Bearer " + Tokens.admin(org), "Content-Type", "text/plain"), "name"));
        Answer invalid = expect(422, "VALIDATION_FAILED", call("POST", "/api/v1/keys", admin, "{\"name\":\"\",\"preset\":\"full\"}"));
        assertEquals("name", invalid.json().path("error").path("fields").path(0).path("field").asText());

        // 405: a method the path does not serve is not an operation of the document; its body is the document's Error envelope.
        Answer notAllowed = send("PUT", "/api/v1/keys", admin, "{}");
        assertEquals(405, notAllowed.status());
        assertEquals("METHOD_NOT_ALLOWED", notAllowed.json().path("error").path("code").asText());
        assertEquals(fields(document.path("components").path("schemas").path("ErrorResponse")), fieldNames(notAllowed.json()));
        assertEquals(fields(document.path("components").path("schemas").path("Error")), fieldNames(notAllowed.json().path("error")));
        assertNotNull(notAllowed.header("X-Request-Id"));
        assertEquals("GET, HEAD, POST", notAllowed.header("Allow"));

        // 429: the per-key limit of this instance (set low for this test).
        Map<String, String> limited = Map.of("Authorization", "Bearer " + call("POST", "/api/v1/keys", admin,
                "{\"name\":\"limited\",\"preset\":\"full\"}").json().path("data").path("key").asText());
        Answer last = null;
        for (int i = 0; i <= RATE_LIMIT && (last == null || last.status() != 429); i++) {
            last = call("GET", "/api/v1/whoami", limited, null);
        }
        expect(429, "RATE_LIMITED", last);
        assertNotNull(last.header("Retry-After"));
    }

    /**
     * Every path of the document, asked with OPTIONS (which no path serves), names in its 405's Allow
     * header the methods the document gives the paths that match it (a literal segment such as
     * {@code /api/v1/content/generate} also matches {@code /api/v1/content/{id}}: the REST layer
     * routes GET there), and HEAD beside GET, through the proxy to each service.
     */
    @Test
    @Order(5)
    void every405NamesTheMethodsTheDocumentGivesItsPath() throws Exception {
        Set<String> verbs = Set.of("get", "post", "put", "patch", "delete");
        Map<Pattern, Set<String>> methods = new LinkedHashMap<>();
        document.path("paths").fields().forEachRemaining(path -> {
            Set<String> declared = new TreeSet<>();
            path.getValue().fieldNames().forEachRemaining(name -> {
                if (verbs.contains(name)) {
                    declared.add(name.toUpperCase(Locale.ROOT));
                }
            });
            methods.put(Pattern.compile(path.getKey().replaceAll("\\{[^}]+}", "[^/]+")), declared);
        });
        List<String> wrong = new ArrayList<>();
        for (String template : (Iterable<String>) document.path("paths")::fieldNames) {
            String concrete = template.replaceAll("\\{[^}]+}", "x_1");
            Set<String> expected = new TreeSet<>();
            methods.forEach((pattern, declared) -> {
                if (pattern.matcher(concrete).matches()) {
                    expected.addAll(declared);
                }
            });
            if (expected.contains("GET")) {
                expected.add("HEAD");
            }
            Answer answer = send("OPTIONS", concrete, Map.of(), null);
            String allow = answer.status() == 405 ? answer.header("Allow") : "status " + answer.status();
            if (!String.join(", ", expected).equals(allow)) {
                wrong.add("OPTIONS " + concrete + ": Allow " + allow + ", the document gives " + expected);
            }
        }
        assertTrue(wrong.isEmpty(), () -> String.join("\n", wrong));
    }

    /** 503 last: workspace-service stops, and the proxy answers for it. */
    @Test
    @Order(6)
    void anUnavailableServiceAnswersAsTheDocumentSays() throws Exception {
        Map<String, String> admin = Map.of("Authorization", "Bearer " + Tokens.admin(org()));
        stack.workspaces.stop();
        Answer down = expect(503, "UNAVAILABLE", call("GET", "/api/v1/workspaces", admin, null));
        assertNotNull(down.header("Retry-After"));
    }

    // ------------------------------------------------------------------ leaked keys (SPEC section 10)

    @Test
    @Order(7)
    void leakedKeyReportsAnswerAsTheDocumentSays() throws Exception {
        Map<String, String> admin = Map.of("Authorization", "Bearer " + Tokens.admin(org()));
        JsonNode first = call("POST", "/api/v1/keys", admin, "{\"name\":\"leaks on github\",\"preset\":\"read_only\"}").json()
                .path("data");
        JsonNode second = call("POST", "/api/v1/keys", admin, "{\"name\":\"leaks anywhere\",\"preset\":\"read_only\"}").json()
                .path("data");

        String report = "[{\"token\":\"" + first.path("key").asText() + "\",\"type\":\"postgate_api_key\","
                + "\"url\":\"https://github.com/someone/app/blob/main/.env\",\"source\":\"content\"}]";
        Map<String, String> signed = Map.of("Content-Type", "application/json", "Github-Public-Key-Identifier",
                GitHubScanningPair.KEY_ID, "Github-Public-Key-Signature", GITHUB.sign(report));
        Answer feedback = call("POST", "/api/v1/secret-scanning/github", signed, report);
        assertEquals(200, feedback.status(), feedback.body());
        assertEquals("true_positive", feedback.json().path(0).path("label").asText());
        Answer unsigned = call("POST", "/api/v1/secret-scanning/github", Map.of("Content-Type", "application/json"), report);
        assertEquals(401, unsigned.status(), unsigned.body());
        assertEquals("revoked", call("GET", "/api/v1/keys/" + first.path("id").asText(), admin, null).json().path("data")
                .path("status").asText());

        Answer accepted = call("POST", "/api/v1/keys/report-leaked", Map.of("Content-Type", "application/json"),
                "{\"keys\":[\"" + second.path("key").asText() + "\"]}");
        assertEquals(202, accepted.status(), accepted.body());
        assertEquals(1, accepted.json().path("data").path("received").asInt());
        JsonNode revoked = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .pollInterval(java.time.Duration.ofMillis(200))
                .until(() -> call("GET", "/api/v1/keys/" + second.path("id").asText(), admin, null).json().path("data"),
                        key -> "revoked".equals(key.path("status").asText()));
        assertEquals("public-report", revoked.path("leak").path("reported_by").asText());
    }

    // ------------------------------------------------------------------ helpers

    private static String org() {
        return "org_contract_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static Answer expect(int status, String code, Answer answer) {
        assertEquals(status, answer.status(), answer.body());
        assertEquals(code, answer.json().path("error").path("code").asText(), answer.body());
        return answer;
    }

    private static Set<String> fields(JsonNode schema) {
        Set<String> names = new TreeSet<>();
        schema.path("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Sends through the proxy and validates the answer against the served document. */
    static Answer call(String method, String pathAndQuery, Map<String, String> headers, String body) throws Exception {
        Answer answer = send(method, pathAndQuery, headers, body);
        validate(method, pathAndQuery, answer);
        return answer;
    }

    static void validate(String method, String pathAndQuery, Answer answer) {
        assertNotNull(answer.header("X-Request-Id"), "X-Request-Id on " + method + " " + pathAndQuery);
        String path = pathAndQuery.split("\\?", 2)[0];
        SimpleResponse.Builder response = SimpleResponse.Builder.status(answer.status()).withBody(answer.body());
        answer.headers().forEach((name, values) -> {
            if (!name.startsWith(":")) {
                response.withHeader(name, values);
            }
        });
        ValidationReport report = validator.validateResponse(path, Request.Method.valueOf(method), response.build());
        assertFalse(report.hasErrors(), method + " " + pathAndQuery + " answered " + answer.status()
                + " unlike the document:\n" + report.getMessages() + "\n" + abbreviate(answer.body()));
    }

    private static String abbreviate(String body) {
        return body.length() > 2000 ? body.substring(0, 2000) + "…" : body;
    }

    static Answer send(String method, String pathAndQuery, Map<String, String> headers, String body) throws Exception {
        return Wire.send(stack.proxy.baseUrl(), method, pathAndQuery, headers, body);
    }
}
