package dev.postgate.keys;

import static dev.postgate.common.testing.EnvelopeChecks.error;
import static dev.postgate.keys.KeyApi.KEYS;
import static dev.postgate.keys.KeyApi.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** GET /api/v1/keys: newest first, cursor pages, status filter, bad query values refused. */
@QuarkusTest
class KeyListTest {
    private final String org = KeyApi.newOrg();

    @Test
    void listIsNewestFirstAndCursorPagesCoverEveryKeyOnce() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(id(KeyApi.create(org, "{\"name\": \"key " + i + "\", \"preset\": \"full\"}")));
        }
        List<String> newestFirst = new ArrayList<>(created);
        Collections.reverse(newestFirst);

        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = null;
        do {
            Response page = KeyApi.member(org).queryParam("limit", 2).queryParams(cursor == null ? Map.of() : Map.of("cursor", cursor))
                    .get(KEYS);
            assertEquals(200, page.statusCode(), page.asString());
            List<Map<String, Object>> keys = KeyApi.list(page);
            pageSizes.add(keys.size());
            keys.forEach(k -> seen.add(id(k)));
            cursor = (String) KeyApi.meta(page).get("next_cursor");
        } while (cursor != null && pageSizes.size() < 10);
        assertEquals(List.of(2, 2, 1), pageSizes);
        assertEquals(newestFirst, seen);
    }

    @Test
    void nextCursorIsNullWhenNothingFollows() {
        for (int i = 0; i < 3; i++) {
            KeyApi.create(org);
        }
        Response exact = KeyApi.member(org).get(KEYS + "?limit=3");
        assertEquals(3, KeyApi.list(exact).size());
        Map<String, Object> meta = KeyApi.meta(exact);
        assertTrue(meta.containsKey("next_cursor"), meta::toString);
        assertNull(meta.get("next_cursor"));
        Response shorter = KeyApi.member(org).get(KEYS + "?limit=2");
        assertNotNull(KeyApi.meta(shorter).get("next_cursor"));
    }

    @Test
    void emptyOrganisationListsNothing() {
        Response response = KeyApi.member(org).get(KEYS);
        assertEquals(200, response.statusCode());
        assertEquals(List.of(), KeyApi.list(response));
        assertNull(KeyApi.meta(response).get("next_cursor"));
    }

    @Test
    void defaultLimitIsTwentyAndTheMaximumIsAHundred() {
        for (int i = 0; i < 21; i++) {
            KeyApi.revoke(org, id(KeyApi.create(org)));
        }
        Response byDefault = KeyApi.member(org).get(KEYS);
        assertEquals(20, KeyApi.list(byDefault).size());
        assertNotNull(KeyApi.meta(byDefault).get("next_cursor"));
        Response hundred = KeyApi.member(org).get(KEYS + "?limit=100");
        assertEquals(21, KeyApi.list(hundred).size());
        assertNull(KeyApi.meta(hundred).get("next_cursor"));
        assertEquals(1, KeyApi.list(KeyApi.member(org).get(KEYS + "?limit=1")).size());
    }

    @Test
    void badLimitIs400() {
        for (String limit : List.of("0", "abc", "101", "-1", "1.5", "99999999999")) {
            Map<String, Object> error = error(KeyApi.member(org).get(KEYS + "?limit=" + limit), 400, "VALIDATION_FAILED");
            assertTrue(KeyCreateTest.fieldNames(error).contains("limit"), () -> limit + " -> " + error);
        }
    }

    @Test
    void badCursorIs400() {
        String notOurs = Base64.getUrlEncoder().withoutPadding().encodeToString("v2:key_X".getBytes(StandardCharsets.UTF_8));
        String injection = Base64.getUrlEncoder().withoutPadding().encodeToString("v1:key_1' or '1'='1".getBytes(StandardCharsets.UTF_8));
        for (String cursor : List.of("nope", "!!!", notOurs, injection, "A".repeat(300))) {
            Map<String, Object> error = error(KeyApi.member(org).queryParam("cursor", cursor).get(KEYS), 400, "VALIDATION_FAILED");
            assertTrue(KeyCreateTest.fieldNames(error).contains("cursor"), () -> cursor + " -> " + error);
        }
    }

    @Test
    void statusFilterShowsActiveRevokedOrExpiredKeys() {
        String active = id(KeyApi.create(org));
        String revoked = id(KeyApi.create(org));
        KeyApi.revoke(org, revoked);
        String rolled = id(KeyApi.create(org));
        String replacement = id(KeyApi.roll(org, rolled, 0));

        assertEquals(List.of(replacement, active), ids(KeyApi.member(org).get(KEYS + "?status=active")));
        assertEquals(List.of(revoked), ids(KeyApi.member(org).get(KEYS + "?status=revoked")));
        assertEquals(List.of(rolled), ids(KeyApi.member(org).get(KEYS + "?status=expired")));
        assertEquals(List.of(replacement, rolled, revoked, active), ids(KeyApi.member(org).get(KEYS)));
        KeyApi.list(KeyApi.member(org).get(KEYS + "?status=expired")).forEach(k -> assertEquals("expired", k.get("status")));
    }

    @Test
    void statusFilterPagesToo() {
        for (int i = 0; i < 3; i++) {
            KeyApi.create(org);
            KeyApi.revoke(org, id(KeyApi.create(org)));
        }
        Response first = KeyApi.member(org).get(KEYS + "?status=revoked&limit=2");
        assertEquals(2, KeyApi.list(first).size());
        String cursor = (String) KeyApi.meta(first).get("next_cursor");
        Response second = KeyApi.member(org).queryParam("status", "revoked").queryParam("cursor", cursor).get(KEYS);
        assertEquals(1, KeyApi.list(second).size());
        assertEquals("revoked", KeyApi.list(second).get(0).get("status"));
        assertNull(KeyApi.meta(second).get("next_cursor"));
    }

    @Test
    void unknownStatusIs400() {
        for (String status : List.of("bogus", "ACTIVE", "deleted")) {
            Map<String, Object> error = error(KeyApi.member(org).get(KEYS + "?status=" + status), 400, "VALIDATION_FAILED");
            assertTrue(KeyCreateTest.fieldNames(error).contains("status"), error::toString);
        }
    }

    @Test
    void anotherOrganisationsKeysAreNeverListed() {
        String mine = id(KeyApi.create(org));
        String other = KeyApi.newOrg();
        KeyApi.create(other);
        assertEquals(List.of(mine), ids(KeyApi.member(org).get(KEYS)));
    }

    @Test
    void aCursorOfAnotherOrganisationShowsNothingOfIt() {
        String other = KeyApi.newOrg();
        KeyApi.create(other);
        KeyApi.create(other);
        String cursor = (String) KeyApi.meta(KeyApi.member(other).get(KEYS + "?limit=1")).get("next_cursor");
        String mine = id(KeyApi.create(org));
        List<String> listed = ids(KeyApi.member(org).queryParam("cursor", cursor).get(KEYS));
        assertTrue(listed.isEmpty() || listed.equals(List.of(mine)), listed::toString);
    }

    private static List<String> ids(Response response) {
        assertEquals(200, response.statusCode(), response.asString());
        return KeyApi.list(response).stream().map(KeyApi::id).toList();
    }
}
