package dev.postgate.keys;

import static dev.postgate.common.testing.EnvelopeChecks.error;
import static dev.postgate.keys.KeyApi.KEYS;
import static dev.postgate.keys.KeyApi.id;
import static dev.postgate.keys.KeyApi.secret;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.Tokens;
import dev.postgate.common.testing.TopicRecorder;
import dev.postgate.common.testing.TopicRecorder.Received;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** SPEC section 2: revocation is permanent and idempotent; POST …/revoke and DELETE do the same. */
@QuarkusTest
class KeyRevokeTest {
    private final String org = KeyApi.newOrg();

    @Test
    void revokeAnswers200WithStatusRevoked() {
        Map<String, Object> key = KeyApi.create(org);
        Response response = KeyApi.admin(org).post(KEYS + "/" + id(key) + "/revoke");
        assertEquals(200, response.statusCode(), response.asString());
        Map<String, Object> revoked = KeyApi.data(response);
        assertEquals("revoked", revoked.get("status"));
        Instant at = Instant.parse((String) revoked.get("revoked_at"));
        assertTrue(Duration.between(at, Instant.now()).abs().toSeconds() < 60, at::toString);
        assertEquals("revoked", KeyApi.get(org, id(key)).get("status"));
        assertEquals("revoked", KeyApi.verified(secret(key)).get("status"));
    }

    @Test
    void revokeTakesAnOptionalReason() {
        Map<String, Object> key = KeyApi.create(org);
        try (TopicRecorder topic = TopicRecorder.fromEnd(KeyApi.TOPIC)) {
            Response response = KeyApi.post(org, KEYS + "/" + id(key) + "/revoke", "{\"reason\": \"leaked in a public repo\"}");
            assertEquals(200, response.statusCode(), response.asString());
            Received event = topic.await(r -> r.isAbout(id(key)) && "api_key.revoked".equals(r.type()), Duration.ofSeconds(60),
                    "api_key.revoked");
            assertEquals("leaked in a public repo", event.json().get("reason"));
        }
        assertEquals(Map.of("reason", "leaked in a public repo"), KeyApi.audit(org, id(key)).get(0).get("details"));
        error(KeyApi.post(org, KEYS + "/" + id(KeyApi.create(org)) + "/revoke", "{\"reason\": \"" + "r".repeat(501) + "\"}"),
                422, "VALIDATION_FAILED");
        error(KeyApi.post(org, KEYS + "/" + id(KeyApi.create(org)) + "/revoke", "{\"why\": \"x\"}"), 422, "VALIDATION_FAILED");
    }

    /** Found by review: an admin who pastes the leaked key into the reason put the key in the event (SPEC section 2: never) and in the audit log. */
    @Test
    void aKeyPastedIntoTheReasonNeverReachesTheEventOrTheAuditLog() {
        Map<String, Object> key = KeyApi.create(org);
        String pasted = secret(key);
        try (TopicRecorder topic = TopicRecorder.fromEnd(KeyApi.TOPIC)) {
            Response response = KeyApi.post(org, KEYS + "/" + id(key) + "/revoke", "{\"reason\": \"leaked: " + pasted + " in a gist\"}");
            assertEquals(200, response.statusCode(), response.asString());
            assertFalse(response.asString().contains(pasted), response::asString);
            Received event = topic.await(r -> r.isAbout(id(key)) && "api_key.revoked".equals(r.type()), Duration.ofSeconds(60),
                    "api_key.revoked");
            assertEquals("leaked: [key redacted] in a gist", event.json().get("reason"));
        }
        assertEquals(Map.of("reason", "leaked: [key redacted] in a gist"), KeyApi.audit(org, id(key)).get(0).get("details"));
    }

    @Test
    void aRevokeReasonIsTextLikeEveryOtherField() {
        // 500 characters, counted as characters (code points), not as UTF-16 units: 500 keys emoji are 1000 units.
        Map<String, Object> emoji = KeyApi.create(org);
        Response response = KeyApi.post(org, KEYS + "/" + id(emoji) + "/revoke", "{\"reason\": \"" + "\uD83D\uDD11".repeat(500) + "\"}");
        assertEquals(200, response.statusCode(), response.asString());
        // Stored exactly (SPEC section 4): surrounding blanks and control characters (a bell here) included.
        Map<String, Object> padded = KeyApi.create(org);
        assertEquals(200, KeyApi.post(org, KEYS + "/" + id(padded) + "/revoke", "{\"reason\": \"  ring\\u0007  \"}").statusCode());
        assertEquals(Map.of("reason", "  ring\u0007  "), KeyApi.audit(org, id(padded)).get(0).get("details"));
        // Too long is refused naming the field, and nothing is revoked.
        Map<String, Object> tooLong = KeyApi.create(org);
        Response refused = KeyApi.post(org, KEYS + "/" + id(tooLong) + "/revoke", "{\"reason\": \"" + "r".repeat(501) + "\"}");
        error(refused, 422, "VALIDATION_FAILED");
        assertEquals("reason", refused.jsonPath().getString("error.fields[0].field"), refused.asString());
        assertEquals("active", KeyApi.get(org, id(tooLong)).get("status"));
    }

    @Test
    void revokeWithAnEmptyJsonBodyWorks() {
        Map<String, Object> key = KeyApi.create(org);
        Response response = KeyApi.admin(org).contentType(ContentType.JSON).post(KEYS + "/" + id(key) + "/revoke");
        assertEquals(200, response.statusCode(), response.asString());
        assertEquals("revoked", KeyApi.data(response).get("status"));
    }

    @Test
    void deleteRevokesToo() {
        Map<String, Object> key = KeyApi.create(org);
        Response response = KeyApi.admin(org).delete(KEYS + "/" + id(key));
        assertEquals(200, response.statusCode(), response.asString());
        assertEquals("revoked", KeyApi.data(response).get("status"));
        assertNotNull(KeyApi.data(response).get("revoked_at"));
        assertEquals("revoked", KeyApi.verified(secret(key)).get("status"));
    }

    @Test
    void revokeIsIdempotent() {
        Map<String, Object> key = KeyApi.create(org);
        String keyId = id(key);
        try (TopicRecorder topic = TopicRecorder.fromEnd(KeyApi.TOPIC)) {
            Map<String, Object> first = KeyApi.revoke(org, keyId);
            Map<String, Object> second = KeyApi.revoke(org, keyId);
            Response third = KeyApi.admin(org).delete(KEYS + "/" + keyId);
            assertEquals(200, third.statusCode(), third.asString());

            assertEquals("revoked", second.get("status"));
            assertEquals(first.get("revoked_at"), second.get("revoked_at"));
            assertEquals(first.get("revoked_at"), KeyApi.data(third).get("revoked_at"));
            assertEquals(first.get("updated_at"), KeyApi.data(third).get("updated_at"));

            topic.await(r -> r.isAbout(keyId) && "api_key.revoked".equals(r.type()), Duration.ofSeconds(60), "api_key.revoked");
            topic.awaitCaughtUp(Duration.ofSeconds(60));
            List<Received> revocations = topic.eventsAbout(keyId).stream().filter(r -> "api_key.revoked".equals(r.type())).toList();
            assertEquals(1, revocations.size(), revocations::toString);
        }
        assertEquals(1, Db.count("select count(*) from key_service.outbox where record_key = ? and payload like '%api_key.revoked%'", keyId));
        assertEquals(List.of("revoke", "create"), KeyApi.audit(org, keyId).stream().map(e -> e.get("action")).toList());
        assertEquals(2L, ((Number) KeyApi.verified(secret(key)).get("seq")).longValue(), "a repeated revoke is no change");
    }

    /** Five revokes of one key released at once: all answer the same revocation, one event is written. */
    @Test
    void concurrentRevokesRevokeOnce() throws Exception {
        String keyId = id(KeyApi.create(org));
        List<HttpResponse<String>> answers = KeyApi.race(5, "POST", KEYS + "/" + keyId + "/revoke", "Bearer " + Tokens.admin(org), null);
        for (HttpResponse<String> answer : answers) {
            assertEquals(200, answer.statusCode(), answer.body());
        }
        String revokedAt = (String) KeyApi.get(org, keyId).get("revoked_at");
        answers.forEach(a -> assertTrue(a.body().contains("\"revoked_at\":\"" + revokedAt + "\""), a.body()));
        assertEquals(1, Db.count("select count(*) from key_service.outbox where record_key = ? and payload like '%api_key.revoked%'", keyId));
        assertEquals(List.of("revoke", "create"), KeyApi.audit(org, keyId).stream().map(e -> e.get("action")).toList());
    }

    /**
     * A change that commits between the revoke's read of the key and its write (here a rename made
     * in SQL while the test holds the key's row) is kept, and the revoke still happens, once, with
     * the seq after both: the revoke's one statement notices the key moved on and the locked
     * path decides.
     */
    @Test
    void aChangeThatCommitsDuringTheRevokeIsKeptAndTheEventCarriesTheFinalSeq() throws Exception {
        Map<String, Object> key = KeyApi.create(org);
        String keyId = id(key);
        try (TopicRecorder topic = TopicRecorder.fromEnd(KeyApi.TOPIC)) {
            CompletableFuture<Response> revoke;
            try (Connection rename = Db.connect()) {
                rename.setAutoCommit(false);
                try (PreparedStatement lock = rename.prepareStatement("select seq from key_service.api_keys where id = ? for update")) {
                    lock.setString(1, keyId);
                    lock.executeQuery().close();
                }
                revoke = CompletableFuture.supplyAsync(() -> KeyApi.admin(org).post(KEYS + "/" + keyId + "/revoke"));
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Db.count(
                        "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and pid <> pg_backend_pid()") > 0);
                try (PreparedStatement renamed = rename.prepareStatement(
                        "update key_service.api_keys set name = 'renamed meanwhile', seq = seq + 1 where id = ?")) {
                    renamed.setString(1, keyId);
                    renamed.executeUpdate();
                }
                rename.commit();
            }
            Response answer = revoke.get(60, TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode(), answer.asString());
            assertEquals("revoked", KeyApi.data(answer).get("status"));
            assertEquals("renamed meanwhile", KeyApi.get(org, keyId).get("name"));
            assertEquals(3L, ((Number) KeyApi.verified(secret(key)).get("seq")).longValue(), "created 1, renamed 2, revoked 3");
            Received event = topic.await(r -> r.isAbout(keyId) && "api_key.revoked".equals(r.type()), Duration.ofSeconds(60),
                    "api_key.revoked");
            assertEquals(3L, ((Number) event.json().get("seq")).longValue(), event::value);
            assertEquals(List.of("revoke", "create"), KeyApi.audit(org, keyId).stream().map(e -> e.get("action")).toList());
        }
    }

    @Test
    void revocationIsPermanent() {
        Map<String, Object> key = KeyApi.create(org);
        KeyApi.revoke(org, id(key));
        error(KeyApi.post(org, KEYS + "/" + id(key) + "/roll", "{\"expire_old_in_seconds\": 60}"), 409, "CONFLICT");
        error(KeyApi.post(org, KEYS + "/" + id(key) + "/roll", "{\"expire_old_in_seconds\": 0}"), 409, "CONFLICT");
        assertEquals("revoked", KeyApi.get(org, id(key)).get("status"));
        assertEquals("revoked", KeyApi.verified(secret(key)).get("status"));
        assertTrue(KeyApi.list(KeyApi.member(org).get(KEYS + "?status=active")).isEmpty());
    }

    @Test
    void aRevokedKeyInsideItsRollOverlapStopsAtOnce() {
        Map<String, Object> old = KeyApi.create(org);
        Map<String, Object> fresh = KeyApi.roll(org, id(old), 3600);
        KeyApi.revoke(org, id(old));
        assertEquals("revoked", KeyApi.verified(secret(old)).get("status"));
        assertEquals("active", KeyApi.verified(secret(fresh)).get("status"), "the replacement is not affected");
    }
}
