package dev.postgate.keys;

import static dev.postgate.common.testing.EnvelopeChecks.error;
import static dev.postgate.keys.KeyApi.KEYS;
import static dev.postgate.keys.KeyApi.id;
import static dev.postgate.keys.KeyApi.post;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;

/** SPEC section 2: at most 10 active keys per organisation; a roll never fails on the limit. */
@QuarkusTest
class KeyLimitTest {
    private static final String CREATE = "{\"name\": \"limited\", \"scopes\": [\"posts:read\"]}";
    private final String org = KeyApi.newOrg();

    @Test
    void eleventhActiveKeyIsRefused() {
        List<String> ids = createTen();
        Map<String, Object> error = error(post(org, KEYS, CREATE), 409, "KEY_LIMIT_REACHED");
        assertTrue(((String) error.get("message")).contains("10"), error::toString);
        assertEquals(10, KeyApi.list(KeyApi.member(org).get(KEYS + "?status=active")).size());
        assertEquals(10, ids.size());
    }

    @Test
    void theLimitIsPerOrganisation() {
        createTen();
        KeyApi.create(KeyApi.newOrg(), CREATE);
    }

    @Test
    void testModeKeysCountToo() {
        for (int i = 0; i < 10; i++) {
            KeyApi.create(org, "{\"name\": \"sandbox\", \"preset\": \"full\", \"mode\": \"test\"}");
        }
        error(post(org, KEYS, CREATE), 409, "KEY_LIMIT_REACHED");
    }

    /** Twenty creates released at once on a fresh organisation: exactly ten win, the rest get 409. */
    @Test
    void concurrentCreatesNeverExceedTheLimit() throws Exception {
        List<HttpResponse<String>> answers = KeyApi.race(20, "POST", KEYS, "Bearer " + Tokens.admin(org), CREATE);
        int created = 0;
        for (HttpResponse<String> response : answers) {
            if (response.statusCode() == 201) {
                created++;
            } else {
                assertEquals(409, response.statusCode(), response.body());
                assertTrue(response.body().contains("\"code\":\"KEY_LIMIT_REACHED\""), response.body());
            }
        }
        assertEquals(10, created);
        assertEquals(10, Db.count("select count(*) from key_service.api_keys where org_id = ?", org));
        assertEquals(10, KeyApi.list(KeyApi.member(org).get(KEYS + "?status=active")).size());
    }

    @Test
    void rollAtTheLimitSucceedsAndTheRolledKeyStopsCounting() {
        List<String> ids = createTen();
        Map<String, Object> fresh = KeyApi.roll(org, ids.get(0), 3600);
        assertEquals("active", KeyApi.get(org, ids.get(0)).get("status"), "the old key works during the overlap");
        assertEquals("active", fresh.get("status"));
        // The new key took the old one's place: the organisation is still at its limit.
        error(post(org, KEYS, CREATE), 409, "KEY_LIMIT_REACHED");
        assertEquals(11, KeyApi.list(KeyApi.member(org).get(KEYS + "?status=active")).size());
    }

    /**
     * A key in its overlap window stops counting only while its successor works: revoking the
     * successor makes it count again, so roll-then-revoke cannot collect working keys.
     */
    @Test
    void revokingARollsSuccessorMakesThePredecessorCountAgain() {
        List<String> ids = createTen();
        for (int round = 0; round < 3; round++) {
            Map<String, Object> successor = KeyApi.roll(org, ids.get(round), 7 * 24 * 3600);
            KeyApi.revoke(org, id(successor));
            assertEquals("active", KeyApi.get(org, ids.get(round)).get("status"), "the predecessor still works");
            error(post(org, KEYS, CREATE), 409, "KEY_LIMIT_REACHED");
        }
        long working = KeyApi.list(KeyApi.member(org).get(KEYS + "?status=active")).size();
        assertEquals(10, working, "no sequence of rolls and revokes yields more than 10 working keys");
    }

    @Test
    void revokingAKeyFreesASlot() {
        List<String> ids = createTen();
        error(post(org, KEYS, CREATE), 409, "KEY_LIMIT_REACHED");
        KeyApi.revoke(org, ids.get(3));
        KeyApi.create(org, CREATE);
        error(post(org, KEYS, CREATE), 409, "KEY_LIMIT_REACHED");
    }

    @Test
    void anExpiredKeyFreesASlot() {
        for (int i = 0; i < 9; i++) {
            KeyApi.create(org, CREATE);
        }
        // Taken after the slow part, so the expiry is still ahead when the key is created.
        Instant soon = Instant.now().plusSeconds(3);
        String expiring = id(KeyApi.create(org, "{\"name\": \"short\", \"scopes\": [\"posts:read\"], \"expires_at\": \"" + soon + "\"}"));
        error(post(org, KEYS, CREATE), 409, "KEY_LIMIT_REACHED");
        await().atMost(Duration.ofSeconds(60)).until(() -> "expired".equals(KeyApi.get(org, expiring).get("status")));
        await().atMost(Duration.ofSeconds(60)).until(() -> post(org, KEYS, CREATE).statusCode() == 201);
    }

    private List<String> createTen() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(id(KeyApi.create(org, CREATE)));
        }
        return ids;
    }
}
