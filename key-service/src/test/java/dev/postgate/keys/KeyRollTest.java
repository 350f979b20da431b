package dev.postgate.keys;

import static dev.postgate.common.testing.EnvelopeChecks.error;
import static dev.postgate.keys.KeyApi.KEYS;
import static dev.postgate.keys.KeyApi.id;
import static dev.postgate.keys.KeyApi.post;
import static dev.postgate.keys.KeyApi.secret;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.Tokens;
import dev.postgate.common.testing.TopicRecorder;
import dev.postgate.common.testing.TopicRecorder.Received;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** SPEC section 2: POST /api/v1/keys/{id}/roll {"expire_old_in_seconds": N}, rotation with overlap. */
@QuarkusTest
class KeyRollTest {
    private static final String SETTINGS = "{\"name\": \"deploy bot\", \"scopes\": [\"posts:write\", \"media:write\"],"
            + " \"mode\": \"test\", \"workspace_ids\": [\"ws_A1\", \"ws_B2\"]}";
    private final String org = KeyApi.newOrg();

    @Test
    void rollIssuesANewKeyWithTheSameNameScopesModeAndWorkspaces() {
        Map<String, Object> old = KeyApi.create(org, SETTINGS);
        Instant before = Instant.now();
        Response response = post(org, KEYS + "/" + id(old) + "/roll", "{\"expire_old_in_seconds\": 3600}");
        assertEquals(201, response.statusCode(), response.asString());
        assertEquals(KEYS + "/" + id(KeyApi.data(response)), response.header("Location"), "the answer says where the new key is read");
        Map<String, Object> fresh = KeyApi.data(response);

        assertNotEquals(id(old), id(fresh));
        assertNotEquals(secret(old), secret(fresh));
        assertTrue(secret(fresh).startsWith("pp_test_sk_"), "same mode, same prefix");
        assertEquals(secret(fresh).substring(0, 14), fresh.get("start"));
        for (String field : List.of("name", "scopes", "mode", "workspace_ids")) {
            assertEquals(old.get(field), fresh.get(field), field);
        }
        assertEquals("active", fresh.get("status"));
        assertNull(fresh.get("expires_at"));

        @SuppressWarnings("unchecked")
        Map<String, Object> rolledFrom = (Map<String, Object>) fresh.get("rolled_from");
        assertEquals(id(old), rolledFrom.get("id"));
        assertAbout(before.plusSeconds(3600), Instant.parse((String) rolledFrom.get("expires_at")));
    }

    /**
     * A roll that ends the old key now has committed before its answer waits for the old key's
     * receipt: when storing that receipt fails (here a statement timeout, injected by a trigger), the
     * answer is still the 201 with the new key's secret, shown this once, without a receipt. Found by
     * review: it was an error with no secret, the old key already ended and a repeat refused (409),
     * so the new key could never be used.
     */
    @Test
    void aRollWhoseReceiptCannotBeStoredStillShowsTheNewSecret() throws Exception {
        Map<String, Object> old = KeyApi.create(org);
        Response rolled;
        try (java.sql.Connection db = Db.connect(); java.sql.Statement sql = db.createStatement()) {
            sql.execute("create or replace function injected_timeout() returns trigger language plpgsql as "
                    + "$$ begin raise exception 'injected by KeyRollTest' using errcode = '57014'; end $$");
            sql.execute("create trigger injected_timeout before insert or update on propagation_receipts for each row when (new.key_id = '"
                    + id(old) + "') execute function injected_timeout()");
            try {
                rolled = post(org, KEYS + "/" + id(old) + "/roll", "{\"expire_old_in_seconds\": 0}");
            } finally {
                sql.execute("drop trigger injected_timeout on propagation_receipts");
                sql.execute("drop function injected_timeout()");
            }
        }
        assertEquals(201, rolled.statusCode(), rolled.asString());
        Map<String, Object> fresh = KeyApi.data(rolled);
        assertEquals("active", KeyApi.verified(secret(fresh)).get("status"), "the secret shown works");
        @SuppressWarnings("unchecked")
        Map<String, Object> from = (Map<String, Object>) fresh.get("rolled_from");
        assertEquals(id(old), from.get("id"));
        assertNull(fresh.get("propagation"), "no receipt could be stored");
        assertEquals("expired", KeyApi.get(org, id(old)).get("status"));
    }

    /** SPEC section 2: a roll never extends a key's life; the new key keeps expires_at. */
    @Test
    void aRolledKeyKeepsTheOldKeysExpiry() {
        Instant expiry = Instant.now().plus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Map<String, Object> old = KeyApi.create(org, "{\"name\": \"one day\", \"scopes\": [\"posts:read\"], \"expires_at\": \""
                + expiry + "\"}");
        Map<String, Object> fresh = KeyApi.roll(org, id(old), 60);
        assertEquals(expiry, Instant.parse((String) fresh.get("expires_at")), "the new key expires when the old one would have");
        assertEquals(expiry.toString(), String.valueOf(KeyApi.verified(secret(fresh)).get("expires_at")));
    }

    @Test
    void aRollMayShortenTheExpiryButNeverExtendIt() {
        Instant expiry = Instant.now().plus(Duration.ofDays(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Map<String, Object> old = KeyApi.create(org, "{\"name\": \"two days\", \"scopes\": [\"posts:read\"], \"expires_at\": \""
                + expiry + "\"}");
        Map<String, Object> rejected = error(post(org, KEYS + "/" + id(old) + "/roll", "{\"expire_old_in_seconds\": 0, \"expires_at\": \""
                + expiry.plus(Duration.ofDays(1)) + "\"}"), 422, "VALIDATION_FAILED");
        assertTrue(String.valueOf(rejected.get("fields")).contains("expires_at"), rejected::toString);
        assertEquals("active", KeyApi.get(org, id(old)).get("status"), "a refused roll changes nothing");

        Instant earlier = expiry.minus(Duration.ofDays(1));
        Response shortened = post(org, KEYS + "/" + id(old) + "/roll", "{\"expire_old_in_seconds\": 0, \"expires_at\": \""
                + earlier + "\"}");
        assertEquals(201, shortened.statusCode(), shortened.asString());
        assertEquals(earlier, Instant.parse((String) KeyApi.data(shortened).get("expires_at")));
    }

    @Test
    void aRollToAnExpiryInThePastIsRefusedNamingTheField() {
        Map<String, Object> old = KeyApi.create(org, SETTINGS);
        Map<String, Object> rejected = error(post(org, KEYS + "/" + id(old) + "/roll", "{\"expires_at\": \""
                + Instant.now().minus(Duration.ofMinutes(1)) + "\"}"), 422, "VALIDATION_FAILED");
        assertEquals(List.of("expires_at"), KeyCreateTest.fieldNames(rejected), rejected::toString);
        assertEquals("active", KeyApi.get(org, id(old)).get("status"), "a refused roll changes nothing");
    }

    @Test
    void rollingTheReplacementEndsTheFirstKeysOverlapSoRollsCannotBeChainedPastTheLimit() {
        Map<String, Object> first = KeyApi.create(org, SETTINGS);
        Map<String, Object> second = KeyApi.roll(org, id(first), 3600);
        assertEquals("active", KeyApi.get(org, id(first)).get("status"), "the first key works during its overlap");
        Map<String, Object> third = KeyApi.roll(org, id(second), 3600);

        assertEquals("expired", KeyApi.get(org, id(first)).get("status"), "only the latest old key keeps an overlap");
        assertEquals("expired", KeyApi.verified(secret(first)).get("status"));
        assertEquals("active", KeyApi.get(org, id(second)).get("status"));
        assertEquals("active", KeyApi.get(org, id(third)).get("status"));
        long working = KeyApi.list(KeyApi.member(org).get(KEYS)).stream().filter(k -> "active".equals(k.get("status"))).count();
        assertEquals(2, working, "the newest key and one key in its overlap window");
    }

    @Test
    void theOldKeyKeepsWorkingUntilItsNewExpiry() {
        Map<String, Object> old = KeyApi.create(org, SETTINGS);
        Instant before = Instant.now();
        Map<String, Object> fresh = KeyApi.roll(org, id(old), 3600);

        Map<String, Object> oldNow = KeyApi.get(org, id(old));
        assertEquals("active", oldNow.get("status"));
        assertAbout(before.plusSeconds(3600), Instant.parse((String) oldNow.get("expires_at")));
        assertEquals(id(fresh), oldNow.get("rolled_to"));

        Map<String, Object> verified = KeyApi.verified(secret(old));
        assertEquals("active", verified.get("status"));
        assertEquals(oldNow.get("expires_at"), verified.get("expires_at"));
        assertEquals("active", KeyApi.verified(secret(fresh)).get("status"));
        assertEquals(id(fresh), KeyApi.verified(secret(fresh)).get("id"));
    }

    @Test
    void overlapOfZeroExpiresTheOldKeyAtOnce() {
        Map<String, Object> old = KeyApi.create(org);
        Map<String, Object> fresh = KeyApi.roll(org, id(old), 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> "expired".equals(KeyApi.verified(secret(old)).get("status")));
        assertEquals("expired", KeyApi.get(org, id(old)).get("status"));
        assertEquals("active", KeyApi.verified(secret(fresh)).get("status"));
    }

    @Test
    void overlapOverSevenDaysOrNegativeIs422() {
        String oldId = id(KeyApi.create(org));
        for (String n : List.of("604801", "-1", "9999999999")) {
            Map<String, Object> error = error(post(org, KEYS + "/" + oldId + "/roll", "{\"expire_old_in_seconds\": " + n + "}"), 422,
                    "VALIDATION_FAILED");
            assertEquals(List.of("expire_old_in_seconds"), KeyCreateTest.fieldNames(error), error::toString);
        }
        assertEquals("active", KeyApi.get(org, oldId).get("status"));
        assertEquals(1, KeyApi.list(KeyApi.member(org).get(KEYS)).size(), "a refused roll issues nothing");
    }

    @Test
    void overlapOfExactlySevenDaysIsAccepted() {
        String oldId = id(KeyApi.create(org));
        Instant before = Instant.now();
        KeyApi.roll(org, oldId, 604800);
        assertAbout(before.plus(Duration.ofDays(7)), Instant.parse((String) KeyApi.get(org, oldId).get("expires_at")));
    }

    @Test
    void overlapThatIsNotANumberIs400() {
        String oldId = id(KeyApi.create(org));
        error(post(org, KEYS + "/" + oldId + "/roll", "{\"expire_old_in_seconds\": \"soon\"}"), 400, "VALIDATION_FAILED");
        error(post(org, KEYS + "/" + oldId + "/roll", "{\"expire_in\": 60}"), 422, "VALIDATION_FAILED");
    }

    /**
     * An overlap sent as text is a wrong type, and the old key is left as it was. Found by review:
     * {@code ""} (a script's empty variable) was read as no overlap, so the old key stopped at once.
     */
    @Test
    void anOverlapSentAsTextIs400AndTheOldKeyKeepsWorking() {
        String oldId = id(KeyApi.create(org));
        for (String overlap : List.of("\"\"", "\" \"", "\"null\"", "\"3600\"")) {
            error(post(org, KEYS + "/" + oldId + "/roll", "{\"expire_old_in_seconds\": " + overlap + "}"), 400, "VALIDATION_FAILED");
        }
        Map<String, Object> old = KeyApi.get(org, oldId);
        assertEquals("active", old.get("status"));
        assertNull(old.get("expires_at"));
        assertNull(old.get("rolled_to"));
    }

    @Test
    void theOldKeysEarlierExpiryIsKept() {
        Instant soon = Instant.now().plusSeconds(120).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String oldId = id(KeyApi.create(org, "{\"name\": \"short\", \"preset\": \"full\", \"expires_at\": \"" + soon + "\"}"));
        KeyApi.roll(org, oldId, 3600);
        assertEquals(soon, Instant.parse((String) KeyApi.get(org, oldId).get("expires_at")));
    }

    @Test
    void aKeyCanBeRolledOnlyOnce() {
        String oldId = id(KeyApi.create(org));
        Map<String, Object> fresh = KeyApi.roll(org, oldId, 600);
        error(post(org, KEYS + "/" + oldId + "/roll", "{\"expire_old_in_seconds\": 600}"), 409, "CONFLICT");
        KeyApi.roll(org, id(fresh), 600);
    }

    /** A key whose replacement is revoked stays rolled: the 409 says so, and does not send the caller to the revoked key. */
    @Test
    void aKeyWhoseReplacementIsRevokedIsNotRolledAgainAndTheAnswerSaysWhy() {
        String oldId = id(KeyApi.create(org));
        String freshId = id(KeyApi.roll(org, oldId, 600));
        KeyApi.revoke(org, freshId);
        Map<String, Object> refused = error(post(org, KEYS + "/" + oldId + "/roll", "{\"expire_old_in_seconds\": 600}"), 409, "CONFLICT");
        String message = (String) refused.get("message");
        assertTrue(message.contains(freshId + ", which is revoked"), message);
        assertTrue(!message.contains("roll that key instead"), message);
        String activeId = id(KeyApi.create(org));
        String activeFreshId = id(KeyApi.roll(org, activeId, 600));
        String toActive = (String) error(post(org, KEYS + "/" + activeId + "/roll", "{\"expire_old_in_seconds\": 600}"), 409, "CONFLICT")
                .get("message");
        assertTrue(toActive.contains(activeFreshId + "; roll that key instead"), toActive);
    }

    /** Five rolls of one key released at once: one replacement, four 409s. */
    @Test
    void concurrentRollsOfOneKeyIssueOneReplacement() throws Exception {
        String oldId = id(KeyApi.create(org));
        List<HttpResponse<String>> answers = KeyApi.race(5, "POST", KEYS + "/" + oldId + "/roll", "Bearer " + Tokens.admin(org),
                "{\"expire_old_in_seconds\": 600}");
        assertEquals(1, answers.stream().filter(a -> a.statusCode() == 201).count(), answers.toString());
        answers.stream().filter(a -> a.statusCode() != 201).forEach(a -> {
            assertEquals(409, a.statusCode(), a.body());
            assertTrue(a.body().contains("\"code\":\"CONFLICT\""), a.body());
        });
        assertEquals(2, KeyApi.list(KeyApi.member(org).get(KEYS)).size());
    }

    @Test
    void anExpiredKeyCannotBeRolled() {
        String oldId = id(KeyApi.create(org));
        KeyApi.roll(org, oldId, 0);
        error(post(org, KEYS + "/" + oldId + "/roll", "{\"expire_old_in_seconds\": 0}"), 409, "CONFLICT");
    }

    @Test
    void rollPublishesRolledForTheOldKeyAndCreatedForTheNewOne() {
        String oldId = id(KeyApi.create(org));
        try (TopicRecorder topic = TopicRecorder.fromEnd(KeyApi.TOPIC)) {
            Map<String, Object> fresh = KeyApi.roll(org, oldId, 900);
            Received rolled = topic.await(r -> r.isAbout(oldId) && "api_key.rolled".equals(r.type()), Duration.ofSeconds(60),
                    "api_key.rolled");
            assertEquals(oldId, rolled.key());
            assertEquals(id(fresh), rolled.json().get("new_key_id"));
            assertEquals(KeyApi.get(org, oldId).get("expires_at"), rolled.json().get("expires_at"));
            assertEquals(org, rolled.json().get("org_id"));

            Received created = topic.await(r -> r.isAbout(id(fresh)), Duration.ofSeconds(60), "api_key.created for the new key");
            assertEquals("api_key.created", created.type());
            assertNull(created.json().get("new_key_id"));
        }
        List<Map<String, Object>> audit = KeyApi.audit(org, oldId);
        assertEquals("roll", audit.get(0).get("action"));
    }

    @Test
    void rollWithoutABodyEndsTheOldKeyNow() {
        String oldId = id(KeyApi.create(org));
        Response response = KeyApi.admin(org).post(KEYS + "/" + oldId + "/roll");
        assertEquals(201, response.statusCode(), response.asString());
        assertEquals("expired", KeyApi.get(org, oldId).get("status"));
    }

    private static void assertAbout(Instant expected, Instant actual) {
        assertTrue(Duration.between(expected, actual).abs().toSeconds() <= 30, () -> "expected about " + expected + ", got " + actual);
    }
}
