package dev.postgate.keys;

import static dev.postgate.common.testing.EnvelopeChecks.error;
import static dev.postgate.keys.KeyApi.KEYS;
import static dev.postgate.keys.KeyApi.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.EnvelopeChecks;
import dev.postgate.common.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Who may see and change a key: only its organisation (anything else is 404, never revealing
 * that the key exists); members read, admins change; only the name can change.
 */
@QuarkusTest
class KeyAccessTest {
    private final String org = KeyApi.newOrg();
    private final String stranger = KeyApi.newOrg();

    @Test
    void anotherOrganisationsKeyIsNotFound() {
        Map<String, Object> key = KeyApi.create(org);
        String path = KEYS + "/" + id(key);
        error(KeyApi.member(stranger).get(path), 404, "NOT_FOUND");
        error(KeyApi.member(stranger).get(path + "/audit"), 404, "NOT_FOUND");
        error(KeyApi.admin(stranger).contentType(ContentType.JSON).body("{\"name\": \"mine now\"}").patch(path), 404, "NOT_FOUND");
        error(KeyApi.admin(stranger).post(path + "/revoke"), 404, "NOT_FOUND");
        error(KeyApi.admin(stranger).delete(path), 404, "NOT_FOUND");
        error(KeyApi.post(stranger, path + "/roll", "{\"expire_old_in_seconds\": 0}"), 404, "NOT_FOUND");

        Map<String, Object> after = KeyApi.get(org, id(key));
        assertEquals("active", after.get("status"));
        assertEquals(key.get("name"), after.get("name"));
        assertEquals(key.get("updated_at"), after.get("updated_at"));
        assertEquals(1, KeyApi.audit(org, id(key)).size(), "nothing happened to the key");
    }

    @Test
    void anotherOrganisationsKeyLooksExactlyLikeAMissingOne() {
        String theirs = id(KeyApi.create(stranger));
        String missing = "key_01ARZ3NDEKTSV4RRFFQ69G5FAV";
        Map<String, Object> forTheirs = error(KeyApi.member(org).get(KEYS + "/" + theirs), 404, "NOT_FOUND");
        Map<String, Object> forMissing = error(KeyApi.member(org).get(KEYS + "/" + missing), 404, "NOT_FOUND");
        assertEquals(forMissing.keySet(), forTheirs.keySet());
        assertEquals(((String) forMissing.get("message")).replace(missing, "ID"), ((String) forTheirs.get("message")).replace(theirs, "ID"));
    }

    @Test
    void unknownOrMalformedIdsAreNotFound() {
        for (String id : List.of("key_01ARZ3NDEKTSV4RRFFQ69G5FAV", "nope", "key_", "ws_01ARZ3NDEKTSV4RRFFQ69G5FAV", "' or 1=1 --")) {
            error(KeyApi.member(org).get(KEYS + "/" + id), 404, "NOT_FOUND");
            error(KeyApi.admin(org).post(KEYS + "/" + id + "/revoke"), 404, "NOT_FOUND");
        }
    }

    @Test
    void memberCanListGetAndAuditKeys() {
        String keyId = id(KeyApi.create(org));
        assertEquals(200, KeyApi.member(org).get(KEYS).statusCode());
        assertEquals(200, KeyApi.member(org).get(KEYS + "/" + keyId).statusCode());
        assertEquals(200, KeyApi.member(org).get(KEYS + "/" + keyId + "/audit").statusCode());
    }

    @Test
    void memberCannotCreateRenameRevokeOrRoll() {
        String keyId = id(KeyApi.create(org));
        String path = KEYS + "/" + keyId;
        error(KeyApi.member(org).contentType(ContentType.JSON).body("{\"name\": \"x\", \"preset\": \"full\"}").post(KEYS), 403, "FORBIDDEN");
        error(KeyApi.member(org).contentType(ContentType.JSON).body("{\"name\": \"x\"}").patch(path), 403, "FORBIDDEN");
        error(KeyApi.member(org).post(path + "/revoke"), 403, "FORBIDDEN");
        error(KeyApi.member(org).delete(path), 403, "FORBIDDEN");
        error(KeyApi.member(org).contentType(ContentType.JSON).body("{\"expire_old_in_seconds\": 0}").post(path + "/roll"), 403, "FORBIDDEN");

        Map<String, Object> after = KeyApi.get(org, keyId);
        assertEquals("active", after.get("status"));
        assertEquals("test key", after.get("name"));
        assertEquals(1, KeyApi.list(KeyApi.member(org).get(KEYS)).size());
    }

    @Test
    void tokenWithNeitherGroupIsForbidden() {
        String token = Tokens.signDashboard(Tokens.dashboardClaims(org, "viewer"));
        RequestSpecification viewer = RestAssured.given().header("Authorization", "Bearer " + token);
        error(viewer.get(KEYS), 403, "FORBIDDEN");
    }

    @Test
    void adminCanAlsoRead() {
        String keyId = id(KeyApi.create(org));
        assertEquals(200, KeyApi.admin(org).get(KEYS + "/" + keyId).statusCode());
        assertEquals(200, KeyApi.admin(org).get(KEYS).statusCode());
    }

    @Test
    void onlyTheNameCanChange() {
        Map<String, Object> key = KeyApi.create(org, "{\"name\": \"fixed\", \"scopes\": [\"posts:read\"]}");
        String path = KEYS + "/" + id(key);
        for (String patch : List.of("{\"scopes\": [\"posts:write\"]}", "{\"preset\": \"full\"}", "{\"mode\": \"test\"}",
                "{\"workspace_ids\": [\"ws_A\"]}", "{\"expires_at\": \"2099-01-01T00:00:00Z\"}", "{\"status\": \"active\"}",
                "{\"name\": \"sneaky\", \"scopes\": [\"posts:publish\"]}")) {
            Map<String, Object> error = error(KeyApi.admin(org).contentType(ContentType.JSON).body(patch).patch(path), 422,
                    "VALIDATION_FAILED");
            String message = (String) error.get("message");
            assertTrue(message.contains("'name'"), () -> patch + " -> " + message);
            assertTrue(message.contains("cannot") || message.contains("Only") || message.contains("only"), message);
        }
        Map<String, Object> error = error(KeyApi.admin(org).contentType(ContentType.JSON).body("{\"scopes\": [\"posts:write\"]}")
                .patch(path), 422, "VALIDATION_FAILED");
        assertEquals(List.of("scopes"), KeyCreateTest.fieldNames(error));
        Map<String, Object> after = KeyApi.get(org, id(key));
        assertEquals(List.of("posts:read"), after.get("scopes"));
        assertEquals("fixed", after.get("name"));
    }

    @Test
    void renameChangesTheNameAndBumpsUpdatedAt() {
        Map<String, Object> key = KeyApi.create(org);
        Response response = KeyApi.admin(org).contentType(ContentType.JSON).body("{\"name\": \"  Production CI\\t\"}")
                .patch(KEYS + "/" + id(key));
        assertEquals(200, response.statusCode(), response.asString());
        Map<String, Object> renamed = KeyApi.data(response);
        // SPEC section 4: stored and echoed exactly, surrounding blanks and a tab included.
        assertEquals("  Production CI\t", renamed.get("name"));
        assertTrue(Instant.parse((String) renamed.get("updated_at")).isAfter(Instant.parse((String) key.get("updated_at"))));
        assertEquals(key.get("created_at"), renamed.get("created_at"));
        assertEquals(key.get("scopes"), renamed.get("scopes"));
        assertEquals("  Production CI\t", KeyApi.get(org, id(key)).get("name"));

        Map<String, Object> entry = KeyApi.audit(org, id(key)).get(0);
        assertEquals("rename", entry.get("action"));
        assertEquals(Map.of("from", "test key", "to", "  Production CI\t"), entry.get("details"));
        assertTrue(((String) entry.get("actor")).startsWith("user:"), entry::toString);
    }

    @Test
    void badNamesAreRefusedOnRename() {
        String path = KEYS + "/" + id(KeyApi.create(org));
        for (String patch : List.of("{}", "{\"name\": \"\"}", "{\"name\": \"   \"}", "{\"name\": null}",
                "{\"name\": \"" + "x".repeat(101) + "\"}")) {
            Map<String, Object> error = error(KeyApi.admin(org).contentType(ContentType.JSON).body(patch).patch(path), 422,
                    "VALIDATION_FAILED");
            assertEquals(List.of("name"), KeyCreateTest.fieldNames(error), () -> patch + " -> " + error);
        }
        // A name of the wrong JSON type cannot be read at all: 400 naming the field (SPEC section 4), as on every other body.
        for (String patch : List.of("{\"name\": 42}", "{\"name\": [\"x\"]}")) {
            Map<String, Object> error = error(KeyApi.admin(org).contentType(ContentType.JSON).body(patch).patch(path), 400,
                    "VALIDATION_FAILED");
            assertEquals(List.of("name"), KeyCreateTest.fieldNames(error), () -> patch + " -> " + error);
        }
        assertEquals("test key", KeyApi.get(org, path.substring(KEYS.length() + 1)).get("name"));
    }

    @Test
    void renameNeedsJson() {
        String path = KEYS + "/" + id(KeyApi.create(org));
        error(KeyApi.admin(org).contentType(ContentType.TEXT).body("{\"name\": \"x\"}").patch(path), 415, "UNSUPPORTED_MEDIA_TYPE");
        error(KeyApi.admin(org).contentType(ContentType.JSON).body("{\"name\": ").patch(path), 400, "VALIDATION_FAILED");
    }

    @Test
    void auditListsEveryChangeNewestFirst() {
        String keyId = id(KeyApi.create(org));
        KeyApi.admin(org).contentType(ContentType.JSON).body("{\"name\": \"second\"}").patch(KEYS + "/" + keyId);
        KeyApi.admin(org).header("X-Request-Id", "revoke-req-1").post(KEYS + "/" + keyId + "/revoke");
        List<Map<String, Object>> entries = KeyApi.audit(org, keyId);
        assertEquals(List.of("revoke", "rename", "create"), entries.stream().map(e -> e.get("action")).toList());
        assertEquals("revoke-req-1", entries.get(0).get("request_id"));
        for (Map<String, Object> entry : entries) {
            assertEquals(keyId, entry.get("key_id"));
            assertTrue(Set.of("id", "key_id", "action", "actor", "request_id", "occurred_at", "details").equals(entry.keySet()),
                    entry::toString);
        }
        Response page = KeyApi.member(org).get(KEYS + "/" + keyId + "/audit?limit=2");
        assertEquals(2, KeyApi.list(page).size());
        String cursor = (String) KeyApi.meta(page).get("next_cursor");
        List<Map<String, Object>> rest = KeyApi.list(KeyApi.member(org).queryParam("cursor", cursor).get(KEYS + "/" + keyId + "/audit"));
        assertEquals(List.of("create"), rest.stream().map(e -> e.get("action")).toList());
        error(KeyApi.member(org).get(KEYS + "/" + keyId + "/audit?limit=0"), 400, "VALIDATION_FAILED");
        // A cursor is for the list that gave it (it was taken by another key's audit log: the same id type).
        String otherKey = (String) KeyApi.create(org).get("id");
        assertEquals(List.of("cursor"), EnvelopeChecks.fieldsOf(error(KeyApi.member(org).queryParam("cursor", cursor)
                .get(KEYS + "/" + otherKey + "/audit"), 400, "VALIDATION_FAILED")));
    }
}
