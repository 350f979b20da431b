package dev.postgate.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.ServiceProcess;
import dev.postgate.common.testing.TestKeys;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.Tokens;
import io.restassured.response.Response;

/**
 * SPEC section 6 when an operator adds partitions to the key topic while services run: every
 * instance reads every partition, the ones added after it started included, so a revocation sent
 * to a new partition is applied there too; and the relay heartbeats a new partition soon, so the
 * consumers' caches stay trusted. (That producers wait 3 s before putting records on a new
 * partition is SettledPartitionsTest's: here every instance reads it by then.) On a broker of its own ({@link SecuredKafka}): growing the shared
 * broker's topic would move the keys of every later test to other partitions.
 */
class KeyTopicGrowthIT extends OnSecuredKafka {
    static final String KEYS = "postgate.api-keys.v1";
    /** SPEC section 6: without a receipt, a revoked key is refused within the staleness window (5 s); slack for a busy machine. */
    static final Duration REFUSED_WITHIN = Duration.ofSeconds(10);

    /** SettledPartitions.SETTLE (3 s), and a second to spare. */
    static final Duration SETTLED_AFTER = Duration.ofSeconds(4);


    /**
     * publish-service starts on the topic's first partitions; one is added; key-service starts (its
     * producer knows the new one from the start) and a key whose events go to the new partition is
     * revoked. Then, with both running, another partition is added, and the same again.
     */
    @Test
    void aRevocationOnAPartitionAddedWhileAnInstanceRunsIsAppliedThere() throws Exception {
        int keyServicePort = ServiceProcess.freePort();
        String keyServiceUrl = "http://127.0.0.1:" + keyServicePort;
        ServiceProcess.Builder consumer = ServiceProcess.of("publish-service").name("growth-publish").keyService(keyServiceUrl);
        kafka.serviceEnvironment("publish-service").forEach(consumer::env);
        try (ServiceProcess publish = consumer.start()) {
            // Positioned on the topic's partitions (stale: no relay runs yet to send heartbeats).
            awaitState(publish, "stale");
            int first = grow();
            ServiceProcess.Builder producer = ServiceProcess.of("key-service").name("growth-keys").port(keyServicePort);
            kafka.serviceEnvironment("key-service").forEach(producer::env);
            try (ServiceProcess keys = producer.start()) {
                awaitPartitions(publish, first + 1);
                awaitState(publish, "live");
                revokeOnPartition(keys, publish, first, first + 1);

                // Both running: publish-service reads the new partition, key-service's relay heartbeats
                // it (else publish-service would stop trusting its cache: "live" needs a heartbeat of
                // every partition it reads), and, once it has settled, key events go there too.
                int second = grow();
                awaitPartitions(publish, second + 1);
                awaitState(publish, "live");
                // Live: key-service's relay heartbeats the new partition, so its producer has seen it; records follow once it has settled.
                Thread.sleep(SETTLED_AFTER.toMillis());
                revokeOnPartition(keys, publish, second, second + 1);
            }
        }
    }

    /** Adds one partition to the key topic; its number. */
    private static int grow() throws Exception {
        try (Admin admin = Admin.create(kafka.client(SecuredKafka.ADMIN))) {
            int partitions = admin.describeTopics(List.of(KEYS)).allTopicNames().get().get(KEYS).partitions().size();
            admin.createPartitions(Map.of(KEYS, NewPartitions.increaseTo(partitions + 1))).all().get();
            return partitions;
        }
    }

    /**
     * Creates keys until one's events go to {@code partition} (Kafka's place for a key: murmur2 of
     * the record key, the key id, over {@code partitions}), has publish-service verify and cache it,
     * revokes it, checks the revocation went there and publish-service applied it (the receipt is
     * confirmed), and that publish-service refuses the key.
     */
    private static void revokeOnPartition(ServiceProcess keys, ServiceProcess publish, int partition, int partitions) {
        // Each try in an organisation of its own: an organisation holds at most 10 active keys, and ten
        // tries miss one partition of four or five one time in ten or twenty.
        String org = TestKeys.newOrg();
        IssuedKey key = TestKeys.create(keys.baseUrl(), org, List.of("posts:read"));
        for (int tries = 0; partitionOf(key.id(), partitions) != partition; tries++) {
            if (tries > 200) {
                throw new IllegalStateException("no key id fell on partition " + partition);
            }
            org = TestKeys.newOrg();
            key = TestKeys.create(keys.baseUrl(), org, List.of("posts:read"));
        }
        String owner = org;
        IssuedKey revoked = key;
        assertEquals(200, whoami(publish, revoked).statusCode(), publish.logTail());
        assertEquals(200, whoami(publish, revoked).statusCode());
        Response revoke = given().baseUri(keys.baseUrl()).header("Authorization", "Bearer " + Tokens.admin(owner))
                .post("/api/v1/keys/" + revoked.id() + "/revoke?wait_ms=5000");
        assertEquals(200, revoke.statusCode(), revoke.asString());
        assertEquals(List.of(partition), partitionsOfRevocation(revoked.id()), "where key-service sent the revocation");
        assertEquals("confirmed", revoke.jsonPath().getString("data.propagation.status"),
                "publish-service, which started before partition " + partition + " existed, applied it: " + revoke.asString());
        await().atMost(REFUSED_WITHIN).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertEquals(401, whoami(publish, revoked).statusCode()));
    }

    /** The partitions of the key topic holding the key's revocation, read as the broker's admin. */
    private static List<Integer> partitionsOfRevocation(String keyId) {
        Properties props = kafka.client(SecuredKafka.ADMIN);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(props)) {
            List<TopicPartition> all = reader.partitionsFor(KEYS, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(KEYS, p.partition())).toList();
            Map<TopicPartition, Long> ends = reader.endOffsets(all, Duration.ofSeconds(30));
            reader.assign(all);
            reader.seekToBeginning(all);
            List<Integer> found = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (ends.entrySet().stream().anyMatch(e -> reader.position(e.getKey()) < e.getValue()) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(200))) {
                    if (keyId.equals(record.key()) && record.value().contains("\"api_key.revoked\"")) {
                        found.add(record.partition());
                    }
                }
            }
            return found;
        }
    }

    static int partitionOf(String keyId, int partitions) {
        return Utils.toPositive(Utils.murmur2(keyId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    static Response whoami(ServiceProcess service, IssuedKey key) {
        return given().baseUri(service.baseUrl()).header("Authorization", key.bearer()).get("/api/v1/whoami");
    }

    /**
     * Until publish-service's key event consumer is in {@code state}: "stale" once it is positioned
     * and no heartbeat is read; "live" when every partition it reads had one within the staleness window.
     */
    private static void awaitState(ServiceProcess publish, String state) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> state.equals(consumer(publish).get("state")));
    }

    /** Until publish-service's consumer reads {@code partitions} partitions of the key topic. */
    private static void awaitPartitions(ServiceProcess publish, int partitions) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> Integer.valueOf(partitions).equals(consumer(publish).get("key_partitions")));
    }

    /** The key event consumer's health data. */
    private static Map<String, Object> consumer(ServiceProcess publish) {
        return given().baseUri(publish.baseUrl()).get("/q/health/group/kafka").jsonPath()
                .getMap("checks.find { it.name == 'key-and-workspace-events-consumer' }.data");
    }
}
