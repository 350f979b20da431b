package dev.postgate.workspaces;

import static dev.postgate.common.testing.EnvelopeChecks.error;
import static dev.postgate.common.testing.EnvelopeChecks.unauthorized;
import static dev.postgate.workspaces.Api.ACCOUNTS;
import static dev.postgate.workspaces.Api.WORKSPACES;
import static dev.postgate.workspaces.Api.admin;
import static dev.postgate.workspaces.Api.connect;
import static dev.postgate.workspaces.Api.connected;
import static dev.postgate.workspaces.Api.createWorkspace;
import static dev.postgate.common.testing.EnvelopeChecks.data;
import static dev.postgate.common.testing.EnvelopeChecks.fieldsOf;
import static dev.postgate.common.testing.EnvelopeChecks.ids;
import static dev.postgate.workspaces.Api.key;
import static dev.postgate.common.testing.EnvelopeChecks.list;
import static dev.postgate.workspaces.Api.member;
import static dev.postgate.common.testing.EnvelopeChecks.meta;
import static dev.postgate.workspaces.Api.newKey;
import static dev.postgate.workspaces.Api.newOrg;
import static dev.postgate.workspaces.Api.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.KeyServiceResource;
import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Connected social accounts: admins connect and disconnect, keys read, publish-service checks targets. */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeyServiceResource.class, scope = TestResourceScope.GLOBAL)
class SocialAccountTest {

    @Test
    void adminConnectsAnAccountThatStartsHealthy() {
        String org = newOrg();
        String ws = createWorkspace(org, "w");
        Response response = connect(org, ws, "instagram", "@postgate");
        assertEquals(201, response.statusCode(), response.asString());
        Map<String, Object> account = data(response);
        assertTrue(((String) account.get("id")).matches("acct_[0-9A-Z]{26}"), account::toString);
        assertEquals(ws, account.get("workspace_id"));
        assertEquals("instagram", account.get("platform"));
        assertEquals("@postgate", account.get("name"));
        assertEquals("healthy", account.get("health"));
        assertNotNull(account.get("created_at"));
        assertNotNull(account.get("updated_at"));
        // The account's one address: keys read it there (SPEC section 5), so the dashboard's create names it too.
        assertEquals("/api/v1/accounts/" + account.get("id"), response.header("Location"));
        assertEquals(account, data(key(newKey(org, "account:read")).get(response.header("Location"))));
    }

    /** The seed client's call: GET /api/v1/accounts with nothing but a key. */
    @Test
    void keyWithoutWorkspaceHeaderListsTheAccountsOfAllItsWorkspaces() {
        String org = newOrg();
        String first = createWorkspace(org, "first");
        String second = createWorkspace(org, "second");
        String insta = connected(org, first, "instagram", "@brand");
        String linkedin = connected(org, second, "linkedin", "Brand Inc.");
        anotherOrganisationWithAnAccount();
        IssuedKey key = newKey(org, "account:read");

        Response response = key(key).get(ACCOUNTS);
        assertEquals(200, response.statusCode(), response.asString());
        List<Map<String, Object>> accounts = list(response);
        assertEquals(List.of(linkedin, insta), ids(accounts));
        assertEquals("linkedin", accounts.get(0).get("platform"));
        assertEquals("Brand Inc.", accounts.get(0).get("name"));
        assertEquals("healthy", accounts.get(0).get("health"));
        assertEquals("instagram", accounts.get(1).get("platform"));
        assertEquals(null, meta(response).get("next_cursor"));
        assertNotNull(response.header("X-RateLimit-Remaining"));

        // An empty header is no header: all the key's workspaces, not the 400 of a path that needs one.
        for (String empty : List.of("", " ")) {
            Response blank = key(key).header("X-Workspace-Id", empty).get(ACCOUNTS);
            assertEquals(200, blank.statusCode(), blank.asString());
            assertEquals(List.of(linkedin, insta), ids(list(blank)));
            assertEquals(200, key(key).header("X-Workspace-Id", empty).get(Api.ACCOUNT_CREDITS).statusCode());
        }
    }

    private static void anotherOrganisationWithAnAccount() {
        String other = newOrg();
        connected(other, createWorkspace(other, "foreign"), "x", "@foreign");
    }

    @Test
    void workspaceHeaderNarrowsTheListToThatWorkspace() {
        String org = newOrg();
        String first = createWorkspace(org, "first");
        String second = createWorkspace(org, "second");
        String a = connected(org, first, "tiktok", "a");
        String b = connected(org, second, "youtube", "b");
        IssuedKey key = newKey(org, "account:read");
        assertEquals(List.of(a), ids(list(key(key).header("X-Workspace-Id", first).get(ACCOUNTS))));
        assertEquals(List.of(b), ids(list(key(key).header("X-Workspace-Id", second).get(ACCOUNTS))));
        error(key(key).header("X-Workspace-Id", first).get(ACCOUNTS + "/" + b), 404, "NOT_FOUND");
        assertEquals("tiktok", data(key(key).header("X-Workspace-Id", first).get(ACCOUNTS + "/" + a)).get("platform"));
        assertEquals("youtube", data(key(key).get(ACCOUNTS + "/" + b)).get("platform"));
    }

    @Test
    void keyLimitedToSomeWorkspacesDoesNotSeeTheAccountsOfOthers() {
        String org = newOrg();
        String allowed = createWorkspace(org, "allowed");
        String hidden = createWorkspace(org, "hidden");
        String visible = connected(org, allowed, "threads", "visible");
        String secret = connected(org, hidden, "facebook", "secret");
        IssuedKey key = newKey(org, List.of(allowed), "account:read");
        assertEquals(List.of(visible), ids(list(key(key).get(ACCOUNTS))));
        error(key(key).get(ACCOUNTS + "/" + secret), 404, "NOT_FOUND");
        error(key(key).header("X-Workspace-Id", hidden).get(ACCOUNTS), 403, "WORKSPACE_FORBIDDEN");
    }

    @Test
    void anotherOrganisationsAccountIsNotFound() {
        String org = newOrg();
        String other = newOrg();
        String ws = createWorkspace(org, "w");
        String account = connected(org, ws, "x", "@mine");
        IssuedKey stranger = newKey(other, "account:read");
        error(key(stranger).get(ACCOUNTS + "/" + account), 404, "NOT_FOUND");
        assertEquals(List.of(), list(key(stranger).get(ACCOUNTS)));
        error(key(stranger).header("X-Workspace-Id", ws).get(ACCOUNTS), 403, "WORKSPACE_FORBIDDEN");
        error(connect(other, ws, "x", "@intruder"), 404, "NOT_FOUND");
        error(admin(other).delete(WORKSPACES + "/" + ws + "/accounts/" + account), 404, "NOT_FOUND");
        assertEquals(List.of(account), ids(list(key(newKey(org, "account:read")).get(ACCOUNTS))));
    }

    @Test
    void readingAccountsNeedsAccountRead() {
        String org = newOrg();
        Map<String, Object> error = error(key(newKey(org, "posts:write")).get(ACCOUNTS), 403, "INSUFFICIENT_SCOPE");
        assertEquals("account:read", error.get("required_scope"));
        unauthorized(member(org).get(ACCOUNTS), "invalid");
    }

    @Test
    void disconnectedAccountAnswersOnceThenIsNeitherListedNorReadable() {
        String org = newOrg();
        String ws = createWorkspace(org, "w");
        String account = connected(org, ws, "facebook", "Page");
        String kept = connected(org, ws, "instagram", "kept");
        Response disconnected = admin(org).delete(WORKSPACES + "/" + ws + "/accounts/" + account);
        assertEquals(200, disconnected.statusCode(), disconnected.asString());
        assertEquals("disconnected", data(disconnected).get("health"));
        assertEquals(account, data(disconnected).get("id"));

        IssuedKey key = newKey(org, "account:read");
        assertEquals(List.of(kept), ids(list(key(key).get(ACCOUNTS))));
        error(key(key).get(ACCOUNTS + "/" + account), 404, "NOT_FOUND");
        error(admin(org).delete(WORKSPACES + "/" + ws + "/accounts/" + account), 404, "NOT_FOUND");

        // Disconnected is one fact: its time and its health never disagree, whoever writes the row.
        assertEquals(1, Db.number("select count(*) from social_accounts where id = ? and health = 'disconnected'"
                + " and disconnected_at is not null", account));
        for (String halfway : List.of("health = 'disconnected'", "disconnected_at = now()")) {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> Db.update("update social_accounts set " + halfway + " where id = ?", kept));
            assertTrue(refused.getCause().getMessage().contains("social_accounts_disconnected_one_way"), refused::toString);
        }
        assertEquals(List.of(kept), ids(list(key(key).get(ACCOUNTS))));
    }

    @Test
    void accountsOfADeletedWorkspaceAreGone() {
        String org = newOrg();
        String ws = createWorkspace(org, "w");
        String account = connected(org, ws, "x", "@gone");
        admin(org).delete(WORKSPACES + "/" + ws).then().statusCode(200);
        IssuedKey key = newKey(org, "account:read");
        assertEquals(List.of(), list(key(key).get(ACCOUNTS)));
        error(key(key).get(ACCOUNTS + "/" + account), 404, "NOT_FOUND");
        error(connect(org, ws, "x", "@late"), 404, "NOT_FOUND");
        assertEquals(List.of(), list(service().get("/internal/v1/workspaces/" + ws + "/accounts?ids=" + account)));
    }

    @Test
    void memberCannotConnectOrDisconnect() {
        String org = newOrg();
        String ws = createWorkspace(org, "w");
        String account = connected(org, ws, "x", "@a");
        error(member(org).contentType(ContentType.JSON).body(Map.of("platform", "x", "name", "b"))
                .post(WORKSPACES + "/" + ws + "/accounts"), 403, "FORBIDDEN");
        error(member(org).delete(WORKSPACES + "/" + ws + "/accounts/" + account), 403, "FORBIDDEN");
    }

    @Test
    void unknownPlatformAndBadNamesAreRefusedNamingTheField() {
        String org = newOrg();
        String ws = createWorkspace(org, "w");
        for (String platform : List.of("myspace", "Instagram", "", "twitter")) {
            Map<String, Object> error = error(connect(org, ws, platform, "n"), 422, "VALIDATION_FAILED");
            assertEquals(List.of("platform"), fieldsOf(error), platform);
        }
        for (String name : List.of("", "   ", "n".repeat(101))) {
            assertEquals(List.of("name"), fieldsOf(error(connect(org, ws, "x", name), 422, "VALIDATION_FAILED")));
        }
        Map<String, Object> both = error(admin(org).contentType(ContentType.JSON).body("{}")
                .post(WORKSPACES + "/" + ws + "/accounts"), 422, "VALIDATION_FAILED");
        assertEquals(List.of("platform", "name"), fieldsOf(both));
        error(admin(org).contentType(ContentType.JSON).body("{\"platform\": [\"x\"], \"name\": \"n\"}")
                .post(WORKSPACES + "/" + ws + "/accounts"), 400, "VALIDATION_FAILED");
        List<String> platforms = new ArrayList<>();
        for (String platform : List.of("instagram", "facebook", "x", "linkedin", "tiktok", "youtube", "threads")) {
            platforms.add((String) data(connect(org, ws, platform, platform + " account")).get("platform"));
        }
        assertEquals(7, platforms.size());
    }

    @Test
    void publishServiceGetsTheConnectedAccountsOfAWorkspaceAmongTheIdsItAsks() {
        String org = newOrg();
        String ws = createWorkspace(org, "w");
        String otherWs = createWorkspace(org, "other");
        String a = connected(org, ws, "x", "@a");
        String b = connected(org, ws, "linkedin", "b");
        String gone = connected(org, ws, "tiktok", "gone");
        String elsewhere = connected(org, otherWs, "x", "@elsewhere");
        admin(org).delete(WORKSPACES + "/" + ws + "/accounts/" + gone).then().statusCode(200);

        Response response = service().get("/internal/v1/workspaces/" + ws + "/accounts?ids=" + String.join(",", a, b, gone,
                elsewhere, "acct_01J00000000000000000000000"));
        assertEquals(200, response.statusCode(), response.asString());
        List<Map<String, Object>> accounts = list(response);
        assertEquals(List.of(b, a), ids(accounts));
        // A list like every other (SPEC section 4): meta.next_cursor, null when nothing follows.
        assertTrue(meta(response).containsKey("next_cursor"), response.asString());
        assertNull(meta(response).get("next_cursor"));
        assertEquals("x", accounts.get(1).get("platform"));
        assertEquals("healthy", accounts.get(1).get("health"));

        error(service().get("/internal/v1/workspaces/ws_01J00000000000000000000000/accounts?ids=" + a), 404, "NOT_FOUND");
        unauthorized(admin(org).get("/internal/v1/workspaces/" + ws + "/accounts?ids=" + a), "invalid");
    }
}
