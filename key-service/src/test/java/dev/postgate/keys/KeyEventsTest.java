package dev.postgate.keys;

import static dev.postgate.keys.KeyApi.KEYS;
import static dev.postgate.keys.KeyApi.id;
import static dev.postgate.keys.KeyApi.secret;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.postgate.common.outbox.OutboxRelay;
import dev.postgate.common.testing.TopicRecorder;
import dev.postgate.common.testing.TopicRecorder.Received;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * SPEC section 6 as an outside consumer of postgate.api-keys.v1 sees it: a plain consumer on
 * every partition from the end, no consumer group.
 */
@QuarkusTest
class KeyEventsTest {
    private static final Set<String> EVENT_FIELDS = Set.of("id", "type", "key_id", "org_id", "seq", "occurred_at", "version",
            "reason", "expires_at", "new_key_id");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SCHEMA = ConfigProvider.getConfig().getValue("postgate.db.schema", String.class);
    private final String org = KeyApi.newOrg();

    @Test
    void everyLifecycleChangeIsPublishedWithItsKeyAsRecordKey() {
        try (TopicRecorder topic = TopicRecorder.fromEnd(KeyApi.TOPIC)) {
            Instant start = Instant.now().minusSeconds(1);
            Map<String, Object> revoked = KeyApi.create(org);
            KeyApi.admin(org).contentType(ContentType.JSON).body("{\"name\": \"renamed first\"}").patch(KEYS + "/" + id(revoked));
            KeyApi.revoke(org, id(revoked));

            Map<String, Object> rolled = KeyApi.create(org);
            Map<String, Object> fresh = KeyApi.roll(org, id(rolled), 1);

            List<Received> all = topic.awaitAll(records -> types(records, id(revoked)).size() == 3
                    && types(records, id(rolled)).size() == 3 && types(records, id(fresh)).size() == 1, WAIT,
                    "created+updated+revoked, created+rolled+expired and created");

            // The rename is a change of the key too: api_key.updated, without the name (readers drop their cached copy).
            assertEquals(List.of("api_key.created", "api_key.updated", "api_key.revoked"), types(all, id(revoked)));
            assertEquals(List.of("api_key.created", "api_key.rolled", "api_key.expired"), types(all, id(rolled)));
            assertEquals(List.of("api_key.created"), types(all, id(fresh)));

            for (Received event : all.stream().filter(r -> !r.isHeartbeat()
                    && Set.of(id(revoked), id(rolled), id(fresh)).contains(r.key())).toList()) {
                Map<String, Object> json = event.json();
                assertEquals(EVENT_FIELDS, json.keySet(), event::value);
                assertEquals(event.key(), json.get("key_id"));
                assertTrue(((String) json.get("id")).matches("evt_[0-9A-Z]{26}"), event::value);
                assertEquals(org, json.get("org_id"));
                assertEquals(1, ((Number) json.get("version")).intValue());
                Instant occurred = Instant.parse((String) json.get("occurred_at"));
                assertTrue(!occurred.isBefore(start) && occurred.isBefore(Instant.now().plusSeconds(5)), event::value);
                assertTrue(json.get("reason") == null || json.get("reason") instanceof String, event::value);
            }

            Received rolledEvent = only(all, id(rolled), "api_key.rolled");
            assertEquals(id(fresh), rolledEvent.json().get("new_key_id"));
            assertEquals(KeyApi.get(org, id(rolled)).get("expires_at"), rolledEvent.json().get("expires_at"));
            assertNull(only(all, id(revoked), "api_key.revoked").json().get("new_key_id"));
            assertNull(only(all, id(revoked), "api_key.revoked").json().get("expires_at"));
            assertEquals(1, ((Number) only(all, id(fresh), "api_key.created").json().get("seq")).intValue());
        }
    }

    @Test
    void seqGrowsStrictlyPerKeyInTheOrderOfChanges() {
        try (TopicRecorder topic = TopicRecorder.fromEnd(KeyApi.TOPIC)) {
            Map<String, Object> key = KeyApi.create(org);
            for (int i = 0; i < 3; i++) {
                KeyApi.admin(org).contentType(ContentType.JSON).body("{\"name\": \"name " + i + "\"}").patch(KEYS + "/" + id(key));
            }
            KeyApi.roll(org, id(key), 3600);
            KeyApi.revoke(org, id(key));
            long verifiedSeq = ((Number) KeyApi.verified(secret(key)).get("seq")).longValue();

            List<Received> events = topic.awaitAll(records -> types(records, id(key)).size() == 6, WAIT, "six events").stream()
                    .filter(r -> !r.isHeartbeat() && r.isAbout(id(key))).toList();
            List<Long> seqs = events.stream().map(r -> ((Number) r.json().get("seq")).longValue()).toList();
            assertEquals(List.of("api_key.created", "api_key.updated", "api_key.updated", "api_key.updated", "api_key.rolled",
                    "api_key.revoked"), events.stream().map(Received::type).toList());
            assertEquals(1L, seqs.get(0));
            for (int i = 1; i < seqs.size(); i++) {
                assertTrue(seqs.get(i - 1) < seqs.get(i), seqs::toString);
            }
            assertEquals(verifiedSeq, seqs.get(seqs.size() - 1), "the last event carries the seq verify answers");
            assertEquals(1, events.stream().map(Received::partition).distinct().count(), "one key, one partition");
        }
    }

    @Test
    void noEventCarriesTheKeyOrItsHash() {
        try (TopicRecorder topic = TopicRecorder.fromEnd(KeyApi.TOPIC)) {
            Map<String, Object> key = KeyApi.create(org);
            Map<String, Object> fresh = KeyApi.roll(org, id(key), 0);
            KeyApi.revoke(org, id(fresh));
            topic.awaitAll(records -> types(records, id(fresh)).size() == 2 && types(records, id(key)).contains("api_key.expired"),
                    WAIT, "the events of both keys");
            for (Map<String, Object> k : List.of(key, fresh)) {
                String body = secret(k).substring(11);
                String hash = Db.hmac(secret(k));
                for (Received record : topic.poll()) {
                    assertFalse(record.value().contains(body), record::value);
                    assertFalse(record.value().toLowerCase().contains(hash), record::value);
                }
            }
        }
    }

    @Test
    void heartbeatsArriveOnEveryPartition() {
        try (TopicRecorder topic = TopicRecorder.fromEnd(KeyApi.TOPIC)) {
            assertEquals(List.of(0, 1, 2), topic.partitions().stream().sorted().toList());
            List<Received> all = topic.awaitAll(records -> Set.of(0, 1, 2).stream().allMatch(p -> records.stream()
                    .anyMatch(r -> r.isHeartbeat() && r.partition() == p)), Duration.ofSeconds(60), "a heartbeat on partitions 0, 1 and 2");
            Received beat = all.stream().filter(Received::isHeartbeat).findFirst().orElseThrow();
            assertTrue(((String) beat.json().get("id")).startsWith("evt_"), beat::value);
            assertEquals(1, ((Number) beat.json().get("version")).intValue());
            Instant.parse((String) beat.json().get("occurred_at"));
            assertNull(beat.json().get("key_id"), beat::value);
            assertNull(beat.key(), "heartbeats have no record key");
        }
    }

    @Test
    void heartbeatsKeepComing() {
        try (TopicRecorder topic = TopicRecorder.fromEnd(KeyApi.TOPIC)) {
            topic.awaitAll(records -> records.stream().filter(r -> r.isHeartbeat() && r.partition() == 0).count() >= 6,
                    Duration.ofSeconds(60), "six heartbeats on partition 0");
        }
    }

    /**
     * A revoke sends its own event as soon as it committed, without waiting for a relay pass: while
     * another session holds the relay's lock (as a long pass of another instance would), the
     * revoked event still reaches the topic, and once passes run again it is not sent twice.
     */
    @Test
    void aRevokeSendsItsOwnEventWithoutARelayPassAndOnlyOnce() throws Exception {
        try (TopicRecorder topic = TopicRecorder.fromEnd(KeyApi.TOPIC)) {
            Map<String, Object> key = KeyApi.create(org);
            topic.await(r -> r.isAbout(id(key)), WAIT, "the created event");
            Received revoked;
            try (Connection relayLock = Db.connect(); Statement statement = relayLock.createStatement()) {
                // OutboxRelay's advisory lock, held by this session until it closes: no relay pass can run meanwhile.
                statement.execute("select pg_advisory_lock(" + OutboxRelay.relayLock(SCHEMA) + ")");
                Response answer = KeyApi.admin(org).contentType(ContentType.JSON).body("{}")
                        .post(KEYS + "/" + id(key) + "/revoke?wait_ms=0");
                assertEquals(200, answer.statusCode(), answer.asString());
                revoked = topic.await(r -> r.isAbout(id(key)) && "api_key.revoked".equals(r.type()), WAIT,
                        "the revoked event, while no relay pass can run");
                Awaitility.await().atMost(WAIT).until(() -> Db.count(
                        "select count(*) from outbox where record_key = ? and published_at is null", id(key)) == 0);
            }
            // A heartbeat after the event on its partition: a relay pass has run since the lock was released.
            topic.await(r -> r.isHeartbeat() && r.partition() == revoked.partition() && r.offset() > revoked.offset(), WAIT,
                    "a heartbeat after the revoked event");
            assertEquals(List.of("api_key.created", "api_key.revoked"), types(topic.events(), id(key)));
        }
    }

    /**
     * Found by review: every service's relay took the same advisory lock, and the services share
     * one database, so a workspace-service pass held back key-service's passes, its heartbeats
     * with them (consumers went stale) and the revocations that only a pass sends. While another
     * service's relay holds its lock for 4 s (a pass waiting on a slow broker), key-service's
     * heartbeats keep coming on every partition.
     */
    @Test
    void anotherServicesRelayPassDoesNotHoldBackThisServicesHeartbeats() throws Exception {
        try (Connection otherRelay = Db.connect(); Statement statement = otherRelay.createStatement()) {
            statement.execute("select pg_advisory_lock(" + OutboxRelay.relayLock("workspace_service") + ")");
            try (TopicRecorder topic = TopicRecorder.fromEnd(KeyApi.TOPIC)) {
                topic.awaitAll(records -> records.stream().filter(r -> r.isHeartbeat() && r.partition() == 0).count() >= 3,
                        Duration.ofSeconds(4), "three heartbeats on partition 0 while workspace-service's relay lock is held");
            }
        }
    }

    private static List<String> types(List<Received> records, String keyId) {
        return records.stream().filter(r -> !r.isHeartbeat() && r.isAbout(keyId)).map(Received::type).toList();
    }

    private static Received only(List<Received> records, String keyId, String type) {
        List<Received> matching = records.stream().filter(r -> r.isAbout(keyId) && type.equals(r.type())).toList();
        assertEquals(1, matching.size(), matching::toString);
        return matching.get(0);
    }
}
