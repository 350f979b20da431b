package dev.postgate.keys;

import static dev.postgate.keys.KeyApi.KEYS;
import static dev.postgate.keys.KeyApi.id;
import static dev.postgate.keys.KeyApi.secret;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.TopicRecorder;
import dev.postgate.common.testing.TopicRecorder.Received;
import io.quarkus.test.junit.QuarkusTest;

/** A key created with expires_at stops at that moment, and the change is published and audited. */
@QuarkusTest
class KeyExpiryTest {
    private final String org = KeyApi.newOrg();

    @Test
    void keyPastItsExpiryIsExpiredWithAnEventAndAnAuditEntry() {
        // Far enough ahead that the create request lands before it, even on a busy machine.
        Instant expiresAt = Instant.now().plusSeconds(5).truncatedTo(ChronoUnit.MILLIS);
        try (TopicRecorder topic = TopicRecorder.fromEnd(KeyApi.TOPIC)) {
            Map<String, Object> key = KeyApi.create(org,
                    "{\"name\": \"temporary\", \"preset\": \"read_only\", \"expires_at\": \"" + expiresAt + "\"}");
            String keyId = id(key);
            assertEquals("active", key.get("status"));

            await().atMost(Duration.ofSeconds(60)).until(() -> "expired".equals(KeyApi.get(org, keyId).get("status")));
            assertEquals("expired", KeyApi.verified(secret(key)).get("status"));

            Received expired = topic.await(r -> r.isAbout(keyId) && "api_key.expired".equals(r.type()), Duration.ofSeconds(60),
                    "api_key.expired");
            assertEquals(keyId, expired.key());
            assertEquals(org, expired.json().get("org_id"));
            assertEquals(expiresAt, Instant.parse((String) expired.json().get("expires_at")));
            assertEquals(2, ((Number) expired.json().get("seq")).intValue());
            assertNull(expired.json().get("new_key_id"));
        }

        String keyId = id(KeyApi.list(KeyApi.member(org).get(KEYS)).get(0));
        await().atMost(Duration.ofSeconds(60)).until(() -> "expire".equals(KeyApi.audit(org, keyId).get(0).get("action")));
        Map<String, Object> entry = KeyApi.audit(org, keyId).get(0);
        assertEquals("system", entry.get("actor"));
        assertEquals(List.of(keyId), KeyApi.list(KeyApi.member(org).get(KEYS + "?status=expired")).stream().map(KeyApi::id).toList());
        assertEquals(List.of(), KeyApi.list(KeyApi.member(org).get(KEYS + "?status=active")));
    }

    @Test
    void expiryIsPublishedOnceEvenThoughTheJobRunsEverySecond() {
        Instant expiresAt = Instant.now().plusSeconds(4);
        try (TopicRecorder topic = TopicRecorder.fromEnd(KeyApi.TOPIC)) {
            String keyId = id(KeyApi.create(org, "{\"name\": \"t\", \"preset\": \"full\", \"expires_at\": \"" + expiresAt + "\"}"));
            // A witness key expiring a few job runs later: once its expiry is published, the job has run again
            // several times since the first key's expiry (a condition, not a sleep).
            String witness = id(KeyApi.create(org, "{\"name\": \"witness\", \"preset\": \"full\", \"expires_at\": \""
                    + expiresAt.plusSeconds(3) + "\"}"));
            topic.await(r -> r.isAbout(keyId) && "api_key.expired".equals(r.type()), Duration.ofSeconds(60), "api_key.expired");
            topic.await(r -> r.isAbout(witness) && "api_key.expired".equals(r.type()), Duration.ofSeconds(60), "the witness's api_key.expired");
            topic.awaitCaughtUp(Duration.ofSeconds(60));
            assertEquals(List.of("api_key.created", "api_key.expired"),
                    topic.eventsAbout(keyId).stream().map(Received::type).toList());
        }
    }

    @Test
    void revokingAnExpiredKeyRecordsTheRevocation() {
        String keyId = id(KeyApi.create(org, "{\"name\": \"t\", \"preset\": \"full\", \"expires_at\": \"" + Instant.now().plusSeconds(4) + "\"}"));
        await().atMost(Duration.ofSeconds(60)).until(() -> "expired".equals(KeyApi.get(org, keyId).get("status")));
        assertEquals("revoked", KeyApi.revoke(org, keyId).get("status"));
        assertEquals("revoked", KeyApi.get(org, keyId).get("status"));
    }
}
