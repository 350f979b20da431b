package dev.postgate.keys;

import static dev.postgate.keys.KeyApi.KEYS;
import static dev.postgate.keys.KeyApi.id;
import static dev.postgate.keys.KeyApi.secret;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.EnvelopeChecks;
import dev.postgate.common.testing.LogCapture;
import dev.postgate.common.testing.TopicRecorder;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * SPEC section 2: the full key is shown once. After the create answer, neither the key, nor its
 * random body, nor its HMAC appears in any answer, event, stored row or log line.
 */
@QuarkusTest
class KeySecretTest {
    private final String org = KeyApi.newOrg();

    @Test
    void theSecretAndItsHashNeverAppearAgain() {
        LogCapture logs = LogCapture.start();
        try (TopicRecorder topic = TopicRecorder.fromEnd(KeyApi.TOPIC)) {
            Map<String, Object> created = KeyApi.create(org, "{\"name\": \"shown once\", \"preset\": \"draft\"}");
            String keyId = id(created);
            Secret secret = new Secret(secret(created));

            List<Response> answers = new ArrayList<>();
            answers.add(KeyApi.member(org).get(KEYS + "/" + keyId));
            answers.add(KeyApi.member(org).get(KEYS));
            answers.add(KeyApi.member(org).get(KEYS + "?status=active"));
            answers.add(KeyApi.member(org).get(KEYS + "/" + keyId + "/audit"));
            answers.add(KeyApi.admin(org).contentType(ContentType.JSON).body("{\"name\": \"renamed\"}").patch(KEYS + "/" + keyId));
            answers.add(KeyApi.verify(secret.key));
            Map<String, Object> other = KeyApi.create(org);
            answers.add(KeyApi.post(org, KEYS + "/" + id(other) + "/roll", "{\"expire_old_in_seconds\": 60}"));
            answers.add(KeyApi.admin(org).post(KEYS + "/" + keyId + "/revoke"));
            answers.add(KeyApi.admin(org).delete(KEYS + "/" + keyId));
            answers.add(KeyApi.member(org).get(KEYS + "/" + keyId));
            answers.add(KeyApi.member(org).get(KEYS + "/" + keyId + "/audit"));
            answers.add(KeyApi.verify(secret.key));
            for (Response answer : answers) {
                assertTrue(answer.statusCode() < 300, answer::asString);
                EnvelopeChecks.envelope(answer);
                secret.assertAbsent("an answer", answer.asString());
            }

            topic.await(r -> r.isAbout(keyId) && "api_key.revoked".equals(r.type()), Duration.ofSeconds(60), "api_key.revoked");
            topic.awaitCaughtUp(Duration.ofSeconds(60));
            List<TopicRecorder.Received> events = topic.eventsAbout(keyId);
            assertEquals(List.of("api_key.created", "api_key.updated", "api_key.revoked"),
                    events.stream().map(TopicRecorder.Received::type).toList());
            topic.poll().forEach(r -> secret.assertAbsent("a Kafka record", r.value()));

            Map<String, Object> row = Db.one("select key_hash, row_to_json(k)::text as whole from key_service.api_keys k where id = ?", keyId);
            String hash = (String) row.get("key_hash");
            assertTrue(hash.matches("[0-9a-f]{64}"), hash);
            assertEquals(Db.hmac(secret.key), hash, "the stored hash is HMAC-SHA256(pepper, key)");
            assertFalse(((String) row.get("whole")).contains(secret.body), "the stored row holds the key");
            for (Map<String, Object> audit : Db.query("select details from key_service.key_audit where key_id = ?", keyId)) {
                secret.assertAbsent("an audit entry", (String) audit.get("details"));
            }
            for (Map<String, Object> outbox : Db.query("select payload from key_service.outbox where record_key = ?", keyId)) {
                secret.assertAbsent("an outbox row", (String) outbox.get("payload"));
            }
            logs.lines().forEach(line -> secret.assertAbsent("a log line", line));
        } finally {
            logs.stop();
        }
    }

    @Test
    void errorsNeverEchoAKey() {
        String key = secret(KeyApi.create(org));
        String typo = key.substring(0, 20) + (key.charAt(20) == 'a' ? 'b' : 'a') + key.substring(21);
        List<Response> answers = List.of(
                KeyApi.verify(typo),
                io.restassured.RestAssured.given().header("Authorization", "Bearer " + key).get(KEYS),
                io.restassured.RestAssured.given().header("x-api-key", key).get(KEYS),
                io.restassured.RestAssured.given().header("Authorization", "Bearer " + key).header("x-api-key", typo).get(KEYS),
                KeyApi.service().contentType(ContentType.JSON).body(Map.of("key", key, "extra", key)).post(KeyApi.VERIFY));
        for (Response answer : answers) {
            assertTrue(answer.statusCode() >= 400, answer::asString);
            EnvelopeChecks.envelope(answer);
            assertFalse(answer.asString().contains(key.substring(11)), answer::asString);
            assertFalse(answer.asString().contains(typo.substring(11)), answer::asString);
        }
    }

    /** Dashboard POSTs never store their answer for Idempotency-Key replays: it would hold the secret. */
    @Test
    void dashboardCreateWithIdempotencyKeyStoresNothing() {
        Response first = KeyApi.admin(org).header("Idempotency-Key", "create-once").contentType(ContentType.JSON)
                .body("{\"name\": \"idem\", \"preset\": \"full\"}").post(KEYS);
        assertEquals(201, first.statusCode(), first.asString());
        assertEquals(0, Db.count("select count(*) from key_service.idempotency_keys where org_id = ?", org));
        Response second = KeyApi.admin(org).header("Idempotency-Key", "create-once").contentType(ContentType.JSON)
                .body("{\"name\": \"idem\", \"preset\": \"full\"}").post(KEYS);
        assertEquals(201, second.statusCode(), second.asString());
        assertFalse(second.asString().contains(secret(KeyApi.data(first)).substring(11)), "a replay shows the first secret");
    }

    /** The key and the forms in which it must never appear again. */
    private static final class Secret {
        final String key;
        final String body;
        final String hash;

        Secret(String key) {
            this.key = key;
            this.body = key.substring(key.lastIndexOf('_') + 1);
            this.hash = Db.hmac(key);
        }

        void assertAbsent(String where, String text) {
            if (text == null) {
                return;
            }
            assertFalse(text.contains(body), () -> "the key appears in " + where + ": " + text);
            assertFalse(text.toLowerCase().contains(hash), () -> "the key's HMAC appears in " + where + ": " + text);
        }
    }
}
