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
        Instant soon = Instant.now().plusSeconds(3);
        for (int i = 0; i < 9; i++) {
            KeyApi.create(org, CREATE);
        }
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
