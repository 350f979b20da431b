package dev.postgate.workspaces;

import static dev.postgate.workspaces.Api.CALENDAR;
import static dev.postgate.workspaces.Api.RESERVATIONS;
import static dev.postgate.workspaces.Api.WORKSPACES;
import static dev.postgate.workspaces.Api.admin;
import static dev.postgate.workspaces.Api.balance;
import static dev.postgate.workspaces.Api.connected;
import static dev.postgate.workspaces.Api.createWorkspace;
import static dev.postgate.workspaces.Api.key;
import static dev.postgate.workspaces.Api.member;
import static dev.postgate.workspaces.Api.newKey;
import static dev.postgate.workspaces.Api.newOrg;
import static dev.postgate.workspaces.Api.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.EnvelopeChecks;
import dev.postgate.common.testing.KeyServiceResource;
import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.RawHttp;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Whatever a client sends to any of this service's JSON paths, the answer is a 4xx in the envelope, never a 500. */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeyServiceResource.class, scope = TestResourceScope.GLOBAL)
class MalformedRequestTest {
    /** Not a JSON object, or not one that any of these paths can take: always 400 or 422. */
    private static final List<String> REFUSED = List.of("{", "}", "[]", "\"text\"", "42", "true",
            "{\"amount\": 1e999999}", "{\"amount\": 123456789012345678901234567890}",
            "{\"name\": \"x\", \"name\": \"y\"}", "{\"\": 1}", "[".repeat(5000) + "]".repeat(5000),
            "{\"a\":".repeat(3000) + "1" + "}".repeat(3000), "\u0000\u0001", "{\"name\": \"x\"} trailing",
            "{\"starts_at\": {\"$date\": 1}}", "{\"workspace_id\": [\"ws_1\"], \"amount\": {}}",
            "{\"title\": \"\\ud800\", \"name\": \"\\udc00x\"}");
    /** Bodies a partial update may take as "change nothing"; creates refuse them. Never a server error. */
    private static final List<String> EMPTY = List.of("", "null", "{}");

    private record Target(String method, String path, Supplier<RequestSpecification> caller) {
    }

    @Test
    void malformedBodiesAndQueriesOnEveryPathAreRefusedInTheEnvelope() {
        String org = newOrg();
        String ws = createWorkspace(org, "w");
        String account = connected(org, ws, "x", "@a");
        IssuedKey writer = newKey(org, "calendar:read", "calendar:write");
        String entry = EnvelopeChecks.data(key(writer).header("X-Workspace-Id", ws).contentType(ContentType.JSON)
                .body("{\"title\": \"t\", \"starts_at\": \"2026-03-02T10:00:00Z\"}").post(CALENDAR)).get("id").toString();
        List<Target> targets = List.of(
                new Target("POST", WORKSPACES, () -> admin(org)),
                new Target("PATCH", WORKSPACES + "/" + ws, () -> admin(org)),
                new Target("POST", WORKSPACES + "/" + ws + "/accounts", () -> admin(org)),
                new Target("POST", WORKSPACES + "/" + ws + "/credits/grants", () -> admin(org)),
                new Target("POST", CALENDAR, () -> key(writer).header("X-Workspace-Id", ws)),
                new Target("PATCH", CALENDAR + "/" + entry, () -> key(writer).header("X-Workspace-Id", ws)),
                new Target("POST", RESERVATIONS, Api::service));
        List<String> failures = new ArrayList<>();
        for (Target target : targets) {
            for (String body : REFUSED) {
                check(failures, target, abbreviate(body), target.caller().get().contentType(ContentType.JSON).body(body));
            }
            for (String body : EMPTY) {
                Response response = send(target, target.caller().get().contentType(ContentType.JSON).body(body));
                boolean noOp = target.path().startsWith(CALENDAR + "/") && response.statusCode() == 200;
                if (!noOp) {
                    record(failures, target.method() + " " + target.path() + " '" + body + "'", response);
                }
            }
            byte[] notUtf8 = { '{', '"', 'n', '"', ':', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '"', '}' };
            check(failures, target, "invalid UTF-8", target.caller().get().contentType(ContentType.JSON).body(notUtf8));
            check(failures, target, "text/plain", target.caller().get().contentType(ContentType.TEXT)
                    .body("{}".getBytes(StandardCharsets.UTF_8)));
        }
        for (String query : List.of("?limit=0", "?limit=abc", "?cursor=%25%25%25", "?from=x", "?to=2026-13-01T00:00:00Z")) {
            Response response = key(writer).header("X-Workspace-Id", ws).urlEncodingEnabled(false).get(CALENDAR + query);
            record(failures, "GET calendar" + query, response);
        }
        record(failures, "GET ledger ?cursor=bad", member(org).get(WORKSPACES + "/" + ws + "/ledger?cursor=bad"));
        StringBuilder manyIds = new StringBuilder("acct_0");
        for (int i = 1; i <= 100; i++) {
            manyIds.append(",acct_").append(i);
        }
        record(failures, "GET internal accounts with 101 ids", service().get("/internal/v1/workspaces/" + ws + "/accounts?ids=" + manyIds));
        record(failures, "GET account with a strange id", key(newKey(org, "account:read")).get("/api/v1/accounts/acct_x%27%20or%201%3D1"));
        record(failures, "POST settle with a body", service().contentType(ContentType.JSON).body("{\"x\": 1}")
                .post(RESERVATIONS + "/res_x/settle"));
        assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
        assertEquals(0, balance(org, ws));
        assertEquals("@a", EnvelopeChecks.data(key(newKey(org, "account:read")).get("/api/v1/accounts/" + account)).get("name"));
    }

    /**
     * Found by review: a request without a body but with a Content-Type its endpoint does not take
     * (an HTTP client that sends one on every request) was 415 on the paths of a resource that
     * consumes JSON, reads and deletes included, and before its credential was checked. A request
     * without a body has no type to refuse (SPEC section 4: 415 is for a body that is not JSON).
     */
    @Test
    void aTypeSentWithoutABodyIsPassedOver() throws Exception {
        String org = newOrg();
        String ws = createWorkspace(org, "w");
        IssuedKey writer = newKey(org, "calendar:read", "calendar:write");
        String entry = EnvelopeChecks.data(key(writer).header("X-Workspace-Id", ws).contentType(ContentType.JSON)
                .body("{\"title\": \"t\", \"starts_at\": \"2026-03-02T10:00:00Z\"}").post(CALENDAR)).get("id").toString();
        assertEquals(401, bodiless("GET", WORKSPACES, Map.of()).status());
        assertEquals(200, bodiless("GET", WORKSPACES, Map.of("Authorization", "Bearer " + Tokens.member(org))).status());
        Map<String, String> calendar = Map.of("Authorization", writer.bearer(), "X-Workspace-Id", ws);
        assertEquals(200, bodiless("GET", CALENDAR + "/" + entry, calendar).status());
        assertEquals(200, bodiless("DELETE", CALENDAR + "/" + entry, calendar).status());
    }

    /** {@code method path} with these headers and a {@code Content-Type: text/plain}, and no body. */
    private static RawHttp.Answer bodiless(String method, String path, Map<String, String> headers) throws Exception {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", "text/plain");
        try (RawHttp http = RawHttp.connect(RestAssured.baseURI + ":" + RestAssured.port, 10_000)) {
            RawHttp.Answer answer = http.head(method, path, all).answer();
            assertTrue(answer.body().contains("\"meta\""), answer.body());
            return answer;
        }
    }

    private static void check(List<String> failures, Target target, String what, RequestSpecification request) {
        record(failures, target.method() + " " + target.path() + " " + what, send(target, request));
    }

    private static Response send(Target target, RequestSpecification request) {
        return "PATCH".equals(target.method()) ? request.patch(target.path()) : request.post(target.path());
    }

    private static void record(List<String> failures, String what, Response response) {
        int status = response.statusCode();
        if (status < 400 || status >= 500) {
            failures.add(what + " -> " + status + " " + abbreviate(response.asString()));
            return;
        }
        try {
            EnvelopeChecks.envelope(response);
        } catch (AssertionError e) {
            failures.add(what + " -> " + e.getMessage());
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "…(" + text.length() + " chars)";
    }
}
