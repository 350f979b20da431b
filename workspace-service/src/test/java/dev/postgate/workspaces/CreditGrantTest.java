package dev.postgate.workspaces;

import static dev.postgate.common.testing.EnvelopeChecks.error;
import static dev.postgate.common.testing.EnvelopeChecks.unauthorized;
import static dev.postgate.workspaces.Api.ACCOUNT_CREDITS;
import static dev.postgate.workspaces.Api.WORKSPACES;
import static dev.postgate.workspaces.Api.admin;
import static dev.postgate.workspaces.Api.balance;
import static dev.postgate.workspaces.Api.createWorkspace;
import static dev.postgate.common.testing.EnvelopeChecks.data;
import static dev.postgate.common.testing.EnvelopeChecks.fieldsOf;
import static dev.postgate.workspaces.Api.grant;
import static dev.postgate.workspaces.Api.granted;
import static dev.postgate.workspaces.Api.key;
import static dev.postgate.common.testing.EnvelopeChecks.list;
import static dev.postgate.workspaces.Api.member;
import static dev.postgate.common.testing.EnvelopeChecks.meta;
import static dev.postgate.workspaces.Api.newKey;
import static dev.postgate.workspaces.Api.newOrg;
import static dev.postgate.common.testing.EnvelopeChecks.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.KeyServiceResource;
import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Credit grants, the ledger, and the credit balances API clients read. */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeyServiceResource.class, scope = TestResourceScope.GLOBAL)
class CreditGrantTest {

    private static String grants(String ws) {
        return WORKSPACES + "/" + ws + "/credits/grants";
    }

    @Test
    void adminGrantsCreditsAndTheLedgerRecordsWhoAndWhy() {
        String org = newOrg();
        String ws = createWorkspace(org, "w");
        Response response = grant(org, ws, 50, "welcome credits");
        assertEquals(201, response.statusCode(), response.asString());
        assertEquals(Map.of("workspace_id", ws, "balance", 50), data(response));
        assertEquals(50, balance(org, ws));

        Map<String, Object> entry = list(member(org).get(WORKSPACES + "/" + ws + "/ledger")).get(0);
        assertTrue(((String) entry.get("id")).startsWith("led_"));
        assertEquals("grant", entry.get("kind"));
        assertEquals(50, number(entry.get("amount")));
        assertEquals(50, number(entry.get("balance_after")));
        assertEquals("welcome credits", entry.get("reason"));
        assertNull(entry.get("reference"));
        assertEquals("user:user_admin_" + org, entry.get("actor"));
        assertNotNull(entry.get("created_at"));
        assertEquals(Set.of("id", "kind", "amount", "balance_after", "reason", "reference", "actor", "created_at"), entry.keySet());
    }

    @Test
    void amountMustBeAWholeNumberFromOneToAMillion() {
        String org = newOrg();
        String ws = createWorkspace(org, "w");
        for (String amount : List.of("-1", "0", "1000001", "1000000000000000000000000000000", "1.5", "0.5", "-1.5", "1e999",
                "null")) {
            Response response = admin(org).contentType(ContentType.JSON)
                    .body("{\"amount\": " + amount + ", \"reason\": \"r\"}").post(grants(ws));
            Map<String, Object> error = error(response, 422, "VALIDATION_FAILED");
            assertEquals(List.of("amount"), fieldsOf(error), () -> amount + " -> " + response.asString());
        }
        // Not a number at all is a wrong type, 400 as in every other field (SPEC section 4).
        for (String amount : List.of("\"10\"", "\"ten\"", "true", "[]", "[5]", "{}")) {
            Response response = admin(org).contentType(ContentType.JSON)
                    .body("{\"amount\": " + amount + ", \"reason\": \"r\"}").post(grants(ws));
            Map<String, Object> error = error(response, 400, "VALIDATION_FAILED");
            assertEquals(List.of("amount"), fieldsOf(error), () -> amount + " -> " + response.asString());
            assertEquals("Field 'amount' must be a number.", error.get("message"), response::asString);
        }
        Response missing = admin(org).contentType(ContentType.JSON).body("{\"reason\": \"r\"}").post(grants(ws));
        assertEquals(List.of("amount"), fieldsOf(error(missing, 422, "VALIDATION_FAILED")));
        assertEquals(0, balance(org, ws));
        assertEquals(0, Db.ledgerCount(ws, "grant"));

        assertEquals(1_000_000, granted(org, ws, 1_000_000));
    }

    @Test
    void reasonIsRequired() {
        String org = newOrg();
        String ws = createWorkspace(org, "w");
        for (String body : List.of("{\"amount\": 5}", "{\"amount\": 5, \"reason\": \"\"}",
                "{\"amount\": 5, \"reason\": \"" + "r".repeat(201) + "\"}")) {
            Map<String, Object> error = error(admin(org).contentType(ContentType.JSON).body(body).post(grants(ws)), 422,
                    "VALIDATION_FAILED");
            assertEquals(List.of("reason"), fieldsOf(error), body);
        }
        error(admin(org).contentType(ContentType.JSON).body("{\"amount\": 5, \"reason\": 7}").post(grants(ws)), 400,
                "VALIDATION_FAILED");
        error(admin(org).contentType(ContentType.JSON).body("{\"amount\": 5, \"reason\": \"r\", \"note\": 1}").post(grants(ws)),
                422, "VALIDATION_FAILED");
        error(admin(org).contentType(ContentType.JSON).body("[5]").post(grants(ws)), 400, "VALIDATION_FAILED");
        Map<String, Object> both = error(admin(org).contentType(ContentType.JSON).body("{}").post(grants(ws)), 422,
                "VALIDATION_FAILED");
        assertEquals(Set.of("amount", "reason"), Set.copyOf(fieldsOf(both)));
        assertEquals(0, balance(org, ws));
    }

    @Test
    void memberCannotGrant() {
        String org = newOrg();
        String ws = createWorkspace(org, "w");
        error(member(org).contentType(ContentType.JSON).body("{\"amount\": 5, \"reason\": \"r\"}").post(grants(ws)), 403,
                "FORBIDDEN");
        unauthorized(key(newKey(org, "account:read")).contentType(ContentType.JSON).body("{\"amount\": 5, \"reason\": \"r\"}")
                .post(grants(ws)), "invalid");
        assertEquals(0, balance(org, ws));
    }

    @Test
    void anotherOrganisationsWorkspaceCannotBeGrantedOrReadInTheLedger() {
        String org = newOrg();
        String other = newOrg();
        String ws = createWorkspace(org, "w");
        granted(org, ws, 5);
        error(grant(other, ws, 100, "mine now"), 404, "NOT_FOUND");
        error(member(other).get(WORKSPACES + "/" + ws + "/ledger"), 404, "NOT_FOUND");
        assertEquals(5, balance(org, ws));
    }

    @Test
    void deletedWorkspaceCannotBeGrantedAndItsLedgerIsGone() {
        String org = newOrg();
        String ws = createWorkspace(org, "w");
        granted(org, ws, 5);
        admin(org).delete(WORKSPACES + "/" + ws).then().statusCode(200);
        error(grant(org, ws, 1, "late"), 404, "NOT_FOUND");
        error(member(org).get(WORKSPACES + "/" + ws + "/ledger"), 404, "NOT_FOUND");
    }

    @Test
    void grantRepeatedWithTheSameIdempotencyKeyIsAppliedOnce() {
        String org = newOrg();
        String ws = createWorkspace(org, "w");
        String other = createWorkspace(org, "other");
        for (int i = 0; i < 3; i++) {
            Response response = admin(org).header("Idempotency-Key", "grant-1").contentType(ContentType.JSON)
                    .body("{\"amount\": 25, \"reason\": \"monthly\"}").post(grants(ws));
            assertEquals(201, response.statusCode(), response.asString());
            assertEquals(Map.of("workspace_id", ws, "balance", 25), data(response));
        }
        assertEquals(25, balance(org, ws));
        assertEquals(1, Db.ledgerCount(ws, "grant"));
        // The same key for another grant to this workspace is a mistake, not a repeat.
        error(admin(org).header("Idempotency-Key", "grant-1").contentType(ContentType.JSON)
                .body("{\"amount\": 26, \"reason\": \"monthly\"}").post(grants(ws)), 409, "IDEMPOTENCY_CONFLICT");
        error(admin(org).header("Idempotency-Key", "grant-1").contentType(ContentType.JSON)
                .body("{\"amount\": 25, \"reason\": \"bonus\"}").post(grants(ws)), 409, "IDEMPOTENCY_CONFLICT");
        assertEquals(25, balance(org, ws));
        assertEquals(1, Db.ledgerCount(ws, "grant"));

        admin(org).header("Idempotency-Key", "grant-2").contentType(ContentType.JSON)
                .body("{\"amount\": 5, \"reason\": \"monthly\"}").post(grants(ws)).then().statusCode(201);
        admin(org).header("Idempotency-Key", "grant-1").contentType(ContentType.JSON)
                .body("{\"amount\": 7, \"reason\": \"monthly\"}").post(grants(other)).then().statusCode(201);
        assertEquals(30, balance(org, ws));
        assertEquals(7, balance(org, other));
        error(admin(org).header("Idempotency-Key", "k".repeat(256)).contentType(ContentType.JSON)
                .body("{\"amount\": 5, \"reason\": \"r\"}").post(grants(ws)), 400, "VALIDATION_FAILED");
    }

    @Test
    void ledgerIsNewestFirstAndPaged() {
        String org = newOrg();
        String ws = createWorkspace(org, "w");
        granted(org, ws, 1);
        granted(org, ws, 2);
        granted(org, ws, 3);
        Response first = member(org).queryParam("limit", 2).get(WORKSPACES + "/" + ws + "/ledger");
        assertEquals(List.of(3L, 2L), list(first).stream().map(e -> number(e.get("amount"))).toList());
        assertEquals(List.of(6L, 3L), list(first).stream().map(e -> number(e.get("balance_after"))).toList());
        String cursor = (String) meta(first).get("next_cursor");
        assertNotNull(cursor);
        Response second = member(org).queryParam("limit", 2).queryParam("cursor", cursor).get(WORKSPACES + "/" + ws + "/ledger");
        assertEquals(List.of(1L), list(second).stream().map(e -> number(e.get("amount"))).toList());
        assertNull(meta(second).get("next_cursor"));
        unauthorized(key(newKey(org, "account:read")).get(WORKSPACES + "/" + ws + "/ledger"), "invalid");
    }

    @Test
    void accountCreditsTotalTheWorkspacesTheKeyMayUse() {
        String org = newOrg();
        String a = createWorkspace(org, "a");
        String b = createWorkspace(org, "b");
        String deleted = createWorkspace(org, "deleted");
        granted(org, a, 10);
        granted(org, b, 5);
        granted(org, deleted, 100);
        admin(org).delete(WORKSPACES + "/" + deleted).then().statusCode(200);
        String foreign = createWorkspace(newOrg(), "foreign");
        IssuedKey key = newKey(org, "account:read");

        Map<String, Object> credits = data(key(key).get(ACCOUNT_CREDITS));
        assertEquals(15, number(credits.get("total")));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> each = (List<Map<String, Object>>) credits.get("workspaces");
        assertEquals(Map.of(a, 10L, b, 5L), each.stream().collect(Collectors.toMap(w -> (String) w.get("workspace_id"),
                w -> number(w.get("balance")))));
        assertEquals(Set.of("a", "b"), each.stream().map(w -> w.get("name")).collect(Collectors.toSet()));

        Map<String, Object> one = data(key(key).header("X-Workspace-Id", b).get(ACCOUNT_CREDITS));
        assertEquals(5, number(one.get("total")));
        assertEquals(1, ((List<?>) one.get("workspaces")).size());

        error(key(key).header("X-Workspace-Id", foreign).get(ACCOUNT_CREDITS), 403, "WORKSPACE_FORBIDDEN");
        error(key(key).header("X-Workspace-Id", deleted).get(ACCOUNT_CREDITS), 403, "WORKSPACE_FORBIDDEN");

        IssuedKey limited = newKey(org, List.of(a), "account:read");
        assertEquals(10, number(data(key(limited).get(ACCOUNT_CREDITS)).get("total")));
        error(key(limited).header("X-Workspace-Id", b).get(ACCOUNT_CREDITS), 403, "WORKSPACE_FORBIDDEN");

        Map<String, Object> scope = error(key(newKey(org, "posts:read")).get(ACCOUNT_CREDITS), 403, "INSUFFICIENT_SCOPE");
        assertEquals("account:read", scope.get("required_scope"));
        unauthorized(member(org).get(ACCOUNT_CREDITS), "invalid");
    }
}
