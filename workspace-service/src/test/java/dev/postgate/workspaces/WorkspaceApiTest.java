package dev.postgate.workspaces;

import static dev.postgate.common.testing.EnvelopeChecks.error;
import static dev.postgate.common.testing.EnvelopeChecks.unauthorized;
import static dev.postgate.workspaces.Api.CALENDAR;
import static dev.postgate.workspaces.Api.WORKSPACES;
import static dev.postgate.workspaces.Api.admin;
import static dev.postgate.workspaces.Api.createWorkspace;
import static dev.postgate.common.testing.EnvelopeChecks.data;
import static dev.postgate.common.testing.EnvelopeChecks.ids;
import static dev.postgate.workspaces.Api.key;
import static dev.postgate.common.testing.EnvelopeChecks.list;
import static dev.postgate.workspaces.Api.member;
import static dev.postgate.common.testing.EnvelopeChecks.meta;
import static dev.postgate.workspaces.Api.newKey;
import static dev.postgate.workspaces.Api.newOrg;
import static dev.postgate.workspaces.Api.service;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.EnvelopeChecks;
import dev.postgate.common.testing.KeyServiceResource;
import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Workspaces: who may create, read, rename and delete them, and what each organisation sees. */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeyServiceResource.class, scope = TestResourceScope.GLOBAL)
class WorkspaceApiTest {

    @Test
    void adminCreatesAWorkspaceWithABalanceOfZero() {
        String org = newOrg();
        Response response = admin(org).contentType(ContentType.JSON).body("{\"name\": \"  Marketing  \"}").post(WORKSPACES);
        assertEquals(201, response.statusCode(), response.asString());
        Map<String, Object> workspace = data(response);
        assertTrue(((String) workspace.get("id")).matches("ws_[0-9A-Z]{26}"), workspace::toString);
        assertEquals(org, workspace.get("org_id"));
        assertEquals("  Marketing  ", workspace.get("name"), "stored and echoed exactly (SPEC section 4)");
        assertEquals(0, workspace.get("balance"));
        assertNotNull(workspace.get("created_at"));
        assertNotNull(workspace.get("updated_at"));
        assertFalse(workspace.containsKey("deleted_at"), workspace::toString);

        Map<String, Object> read = data(member(org).get(WORKSPACES + "/" + workspace.get("id")));
        assertEquals(workspace, read);
        assertEquals(WORKSPACES + "/" + workspace.get("id"), response.header("Location"), "the answer says where it is read");
    }

    @Test
    void memberCannotCreateRenameOrDeleteWorkspaces() {
        String org = newOrg();
        String id = createWorkspace(org, "w");
        error(member(org).contentType(ContentType.JSON).body("{\"name\": \"x\"}").post(WORKSPACES), 403, "FORBIDDEN");
        error(member(org).contentType(ContentType.JSON).body("{\"name\": \"x\"}").patch(WORKSPACES + "/" + id), 403, "FORBIDDEN");
        error(member(org).delete(WORKSPACES + "/" + id), 403, "FORBIDDEN");
        assertEquals("w", data(member(org).get(WORKSPACES + "/" + id)).get("name"));
    }

    @Test
    void anotherOrganisationsWorkspaceIsNotFoundOnEveryPath() {
        String org = newOrg();
        String other = newOrg();
        String id = createWorkspace(org, "mine");
        error(member(other).get(WORKSPACES + "/" + id), 404, "NOT_FOUND");
        error(admin(other).contentType(ContentType.JSON).body("{\"name\": \"stolen\"}").patch(WORKSPACES + "/" + id), 404, "NOT_FOUND");
        error(admin(other).delete(WORKSPACES + "/" + id), 404, "NOT_FOUND");
        assertFalse(ids(list(member(other).get(WORKSPACES))).contains(id));
        assertEquals("mine", data(member(org).get(WORKSPACES + "/" + id)).get("name"));
    }

    @Test
    void nameMustBeOneToAHundredCharacters() {
        String org = newOrg();
        for (String body : List.of("{}", "{\"name\": \"\"}", "{\"name\": \"   \"}", "{\"name\": null}",
                "{\"name\": \"" + "n".repeat(101) + "\"}")) {
            Map<String, Object> error = error(admin(org).contentType(ContentType.JSON).body(body).post(WORKSPACES), 422,
                    "VALIDATION_FAILED");
            assertEquals(List.of("name"), EnvelopeChecks.fieldsOf(error), body);
        }
        error(admin(org).contentType(ContentType.JSON).body("{\"name\": \"x\", \"color\": \"red\"}").post(WORKSPACES), 422,
                "VALIDATION_FAILED");
        error(admin(org).contentType(ContentType.JSON).body("{\"name\": {\"a\": 1}}").post(WORKSPACES), 400,
                "VALIDATION_FAILED");
        assertEquals(201, admin(org).contentType(ContentType.JSON).body(Map.of("name", "n".repeat(100))).post(WORKSPACES)
                .statusCode());
    }

    /**
     * Found by review (left open at stop 52): a key pasted into a workspace's name was stored and
     * shown to every member and every key holder of the workspace. 422 naming {@code name}, on
     * create and rename, without echoing it.
     */
    @Test
    void aKeyPastedIntoAWorkspacesNameIsRefused() {
        String org = newOrg();
        String secret = newKey(org, "posts:read").secret();
        String id = createWorkspace(org, "kept");
        for (Response refused : List.of(admin(org).contentType(ContentType.JSON).body(Map.of("name", "team " + secret)).post(WORKSPACES),
                admin(org).contentType(ContentType.JSON).body(Map.of("name", secret)).patch(WORKSPACES + "/" + id))) {
            Map<String, Object> error = error(refused, 422, "VALIDATION_FAILED");
            assertEquals(List.of("name"), EnvelopeChecks.fieldsOf(error), refused::asString);
            assertFalse(refused.asString().contains(secret), refused::asString);
        }
        assertEquals("kept", data(member(org).get(WORKSPACES + "/" + id)).get("name"));
        assertFalse(member(org).get(WORKSPACES).asString().contains(secret));
        Response account = admin(org).contentType(ContentType.JSON).body(Map.of("platform", "x", "name", "page " + secret))
                .post(WORKSPACES + "/" + id + "/accounts");
        assertEquals(List.of("name"), EnvelopeChecks.fieldsOf(error(account, 422, "VALIDATION_FAILED")), account::asString);
        assertFalse(account.asString().contains(secret), account::asString);
    }

    /**
     * Found by review (left open since stop 52): the rule above was not on a credit grant's reason
     * (every member and credits:read key reads the ledger) or on a calendar entry's title and
     * notes (every calendar:read key of the workspace reads them). 422 naming the field, without
     * echoing it; nothing stored.
     */
    @Test
    void aKeyPastedIntoAGrantReasonOrACalendarEntryIsRefused() {
        String org = newOrg();
        String secret = newKey(org, "posts:read").secret();
        String ws = createWorkspace(org, "ledger and calendar");
        IssuedKey writer = newKey(org, "calendar:read", "calendar:write");
        Response entry = key(writer).header("X-Workspace-Id", ws).contentType(ContentType.JSON)
                .body(Map.of("title", "kept", "starts_at", "2026-03-02T10:00:00Z")).post(CALENDAR);
        assertEquals(201, entry.statusCode(), entry.asString());
        String entryId = (String) data(entry).get("id");
        Map<String, Response> refused = new java.util.LinkedHashMap<>();
        refused.put("reason", admin(org).contentType(ContentType.JSON).body(Map.of("amount", 5, "reason", "from " + secret))
                .post(WORKSPACES + "/" + ws + "/credits/grants"));
        refused.put("title", key(writer).header("X-Workspace-Id", ws).contentType(ContentType.JSON)
                .body(Map.of("title", secret, "starts_at", "2026-03-02T10:00:00Z")).post(CALENDAR));
        refused.put("notes", key(writer).header("X-Workspace-Id", ws).contentType(ContentType.JSON)
                .body(Map.of("title", "t", "notes", "use " + secret, "starts_at", "2026-03-02T10:00:00Z")).post(CALENDAR));
        refused.forEach((field, response) -> {
            assertEquals(List.of(field), EnvelopeChecks.fieldsOf(error(response, 422, "VALIDATION_FAILED")), response::asString);
            assertFalse(response.asString().contains(secret), response::asString);
        });
        for (String field : List.of("title", "notes")) {
            Response patched = key(writer).header("X-Workspace-Id", ws).contentType(ContentType.JSON).body(Map.of(field, secret))
                    .patch(CALENDAR + "/" + entryId);
            assertEquals(List.of(field), EnvelopeChecks.fieldsOf(error(patched, 422, "VALIDATION_FAILED")), patched::asString);
        }
        assertEquals(0, Api.balance(org, ws));
        Response calendar = key(writer).header("X-Workspace-Id", ws).get(CALENDAR);
        assertEquals(200, calendar.statusCode());
        assertFalse(calendar.asString().contains(secret), "nothing with the key was stored");
    }

    @Test
    void adminRenamesAWorkspace() {
        String org = newOrg();
        String id = createWorkspace(org, "before");
        Response response = admin(org).contentType(ContentType.JSON).body("{\"name\": \"after\"}").patch(WORKSPACES + "/" + id);
        assertEquals(200, response.statusCode(), response.asString());
        assertEquals("after", data(response).get("name"));
        assertEquals("after", data(member(org).get(WORKSPACES + "/" + id)).get("name"));
        error(admin(org).contentType(ContentType.JSON).body("{\"name\": \"\"}").patch(WORKSPACES + "/" + id), 422,
                "VALIDATION_FAILED");
    }

    @Test
    void deletedWorkspaceAnswersOnceThenIsNotFoundAnywhere() {
        String org = newOrg();
        String id = createWorkspace(org, "doomed");
        Response deleted = admin(org).delete(WORKSPACES + "/" + id);
        assertEquals(200, deleted.statusCode(), deleted.asString());
        assertEquals(id, data(deleted).get("id"));
        assertNotNull(data(deleted).get("deleted_at"));

        error(member(org).get(WORKSPACES + "/" + id), 404, "NOT_FOUND");
        error(admin(org).delete(WORKSPACES + "/" + id), 404, "NOT_FOUND");
        error(admin(org).contentType(ContentType.JSON).body("{\"name\": \"x\"}").patch(WORKSPACES + "/" + id), 404, "NOT_FOUND");
        assertFalse(ids(list(member(org).get(WORKSPACES))).contains(id));
    }

    @Test
    void listIsNewestFirstAndPagesWithACursor() {
        String org = newOrg();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(createWorkspace(org, "w" + i));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Response page = member(org).queryParam("limit", 2).queryParam("cursor", cursor == null ? "" : cursor).get(WORKSPACES);
            assertEquals(200, page.statusCode(), page.asString());
            List<Map<String, Object>> items = list(page);
            assertTrue(items.size() <= 2);
            seen.addAll(ids(items));
            cursor = (String) meta(page).get("next_cursor");
        } while (cursor != null);
        List<String> newestFirst = new ArrayList<>(created);
        java.util.Collections.reverse(newestFirst);
        assertEquals(newestFirst, seen);
        error(member(org).queryParam("limit", 0).get(WORKSPACES), 400, "VALIDATION_FAILED");
        error(member(org).queryParam("cursor", "nope").get(WORKSPACES), 400, "VALIDATION_FAILED");
    }

    @Test
    void keyWithAccountReadSeesItsOrganisationsWorkspacesWithBalances() {
        String org = newOrg();
        String first = createWorkspace(org, "first");
        String second = createWorkspace(org, "second");
        String foreign = createWorkspace(newOrg(), "foreign");
        IssuedKey key = newKey(org, "account:read");

        Response listed = key(key).get(WORKSPACES);
        assertEquals(200, listed.statusCode(), listed.asString());
        assertEquals(List.of(second, first), ids(list(listed)));
        assertEquals(0, list(listed).get(0).get("balance"));
        assertNotNull(listed.header("X-RateLimit-Limit"));

        assertEquals("first", data(key(key).get(WORKSPACES + "/" + first)).get("name"));
        error(key(key).get(WORKSPACES + "/" + foreign), 404, "NOT_FOUND");
    }

    @Test
    void keyLimitedToSomeWorkspacesSeesOnlyThose() {
        String org = newOrg();
        String allowed = createWorkspace(org, "allowed");
        String hidden = createWorkspace(org, "hidden");
        IssuedKey key = newKey(org, List.of(allowed), "account:read");

        assertEquals(List.of(allowed), ids(list(key(key).get(WORKSPACES))));
        assertEquals(200, key(key).get(WORKSPACES + "/" + allowed).statusCode());
        error(key(key).get(WORKSPACES + "/" + hidden), 404, "NOT_FOUND");
    }

    @Test
    void keyWithoutAccountReadIsRefusedNamingTheScope() {
        String org = newOrg();
        String id = createWorkspace(org, "w");
        IssuedKey key = newKey(org, "posts:read");
        Map<String, Object> error = error(key(key).get(WORKSPACES), 403, "INSUFFICIENT_SCOPE");
        assertEquals("account:read", error.get("required_scope"));
        assertTrue(((String) error.get("message")).contains("account:read"));
        assertEquals("account:read", error(key(key).get(WORKSPACES + "/" + id), 403, "INSUFFICIENT_SCOPE").get("required_scope"));
    }

    @Test
    void keysCannotCreateOrDeleteWorkspaces() {
        String org = newOrg();
        String id = createWorkspace(org, "w");
        IssuedKey key = newKey(org, "account:read");
        unauthorized(key(key).contentType(ContentType.JSON).body("{\"name\": \"x\"}").post(WORKSPACES), "invalid");
        unauthorized(key(key).delete(WORKSPACES + "/" + id), "invalid");
        unauthorized(given().get(WORKSPACES), "missing");
    }

    @Test
    void internalLookupAnswersOwnerAndDeletionForServicesOnly() {
        String org = newOrg();
        String id = createWorkspace(org, "w");
        Map<String, Object> fact = data(service().get("/internal/v1/workspaces/" + id));
        assertEquals(Map.of("id", id, "org_id", org, "deleted", false, "balance", 0), fact);

        admin(org).delete(WORKSPACES + "/" + id).then().statusCode(200);
        assertEquals(true, data(service().get("/internal/v1/workspaces/" + id)).get("deleted"));

        error(service().get("/internal/v1/workspaces/ws_01J00000000000000000000000"), 404, "NOT_FOUND");
        unauthorized(admin(org).get("/internal/v1/workspaces/" + id), "invalid");
        unauthorized(service().get(WORKSPACES), "invalid");
    }

    @Test
    void listShowsOnlyWorkspacesThatAreNotDeleted() {
        String org = newOrg();
        String kept = createWorkspace(org, "kept");
        String gone = createWorkspace(org, "gone");
        admin(org).delete(WORKSPACES + "/" + gone).then().statusCode(200);
        List<Map<String, Object>> items = list(member(org).get(WORKSPACES));
        assertEquals(List.of(kept), ids(items));
        assertNull(items.get(0).get("deleted_at"));
    }

    @Test
    void aFieldSentTwiceIsMalformedJsonNotAServerError() {
        String org = newOrg();
        error(admin(org).contentType(ContentType.JSON).body("{\"name\": \"x\", \"name\": \"y\"}").post(WORKSPACES), 400,
                "VALIDATION_FAILED");
        String id = createWorkspace(org, "w");
        error(admin(org).contentType(ContentType.JSON).body("{\"name\": \"x\", \"name\": \"y\"}").patch(WORKSPACES + "/" + id),
                400, "VALIDATION_FAILED");
        error(admin(org).contentType(ContentType.JSON).body("{\"amount\": 1, \"amount\": 1000, \"reason\": \"r\"}")
                .post(WORKSPACES + "/" + id + "/credits/grants"), 400, "VALIDATION_FAILED");
        assertEquals(0, Api.balance(org, id));
    }
}
