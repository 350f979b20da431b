package dev.postgate.it;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.postgate.common.testing.ServiceProcess;
import dev.postgate.common.testing.TestKeys;
import dev.postgate.common.testing.TestKeys.IssuedKey;

/**
 * Kafka with authentication and the ACLs of SPEC section 6, on a broker configured as
 * docker-compose's (see {@link SecuredKafka}): whoever cannot log in, or logs in as another service,
 * cannot forge key events; key-service can, and a packaged key-service given only its SCRAM
 * credentials (through the same environment variables compose and Kubernetes set) publishes its
 * revocations there for the consuming services to read.
 */
class KafkaAclIT extends OnSecuredKafka {
    static final String KEYS = "postgate.api-keys.v1";
    static final ObjectMapper JSON = new ObjectMapper();


    @Test
    void aClientWithoutCredentialsCannotWriteKeyEvents() throws Exception {
        String forged = "key_forged_" + UUID.randomUUID();
        Map<TopicPartition, Long> before = endOffsets("workspace-service");

        assertThrows(Exception.class, () -> send(kafka.plaintextClient(), KEYS, forged), "a client without credentials is refused");

        Exception wrongPassword = assertThrows(Exception.class, () -> send(kafka.client("key-service", "not-its-password"), KEYS, forged));
        assertInstanceOf(SaslAuthenticationException.class, rootCause(wrongPassword), "a wrong password fails authentication");

        List<ConsumerRecord<String, String>> written = readSince("workspace-service", before, Duration.ofSeconds(3), records -> false);
        assertTrue(written.stream().noneMatch(r -> forged.equals(r.key())), "nothing forged reached the topic");
    }

    @Test
    void otherServicesCannotWriteKeyEvents() {
        for (String service : List.of("publish-service", "workspace-service")) {
            Exception refused = assertThrows(Exception.class, () -> send(kafka.client(service), KEYS, "key_forged_" + UUID.randomUUID()),
                    service + " must not write " + KEYS);
            assertInstanceOf(TopicAuthorizationException.class, rootCause(refused), service + " is refused by the ACLs");
        }
    }

    @Test
    void keyServiceWritesKeyEventsThatTheConsumingServicesRead() throws Exception {
        String keyId = "key_acl_" + UUID.randomUUID();
        Map<TopicPartition, Long> before = endOffsets("publish-service");
        send(kafka.client("key-service"), KEYS, keyId);
        for (String reader : List.of("publish-service", "workspace-service")) {
            List<ConsumerRecord<String, String>> records = readSince(reader, before, Duration.ofSeconds(60),
                    got -> got.stream().anyMatch(r -> keyId.equals(r.key())));
            assertTrue(records.stream().anyMatch(r -> keyId.equals(r.key())), reader + " reads what key-service wrote");
        }
    }

    /** Revocation receipts (SPEC section 6): the consuming services write postgate.instances.v1, key-service reads it and only reads. */
    @Test
    void consumingServicesWriteInstanceRecordsThatOnlyKeyServiceReads() throws Exception {
        String instances = "postgate.instances.v1";
        Map<TopicPartition, Long> before = endOffsets("key-service", instances);
        List<String> written = new ArrayList<>();
        for (String writer : List.of("publish-service", "workspace-service")) {
            String id = writer + "@acl-test:1#" + UUID.randomUUID().toString().substring(0, 8);
            send(kafka.client(writer), instances, id);
            written.add(id);
        }
        List<ConsumerRecord<String, String>> records = readSince("key-service", before, Duration.ofSeconds(60),
                got -> got.stream().map(ConsumerRecord::key).toList().containsAll(written));
        assertTrue(records.stream().map(ConsumerRecord::key).toList().containsAll(written), "key-service reads the instances' records");
        Exception refused = assertThrows(Exception.class, () -> send(kafka.client("key-service"), instances, "key-service@forged"),
                "key-service must not write " + instances);
        assertInstanceOf(TopicAuthorizationException.class, rootCause(refused));
    }

    @Test
    void eachServiceReadsOnlyTheTopicsItConsumes() {
        Map<String, String> forbidden = Map.of("publish-service", "postgate.credits.v1", "key-service", KEYS,
                "workspace-service", "postgate.instances.v1");
        forbidden.forEach((service, topic) -> {
            Exception refused = assertThrows(Exception.class, () -> {
                try (KafkaConsumer<String, String> consumer = consumer(service)) {
                    List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0));
                    consumer.assign(partitions);
                    consumer.seekToBeginning(partitions);
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (System.nanoTime() < deadline) {
                        consumer.poll(Duration.ofMillis(200));
                    }
                }
            }, service + " must not read " + topic);
            assertInstanceOf(TopicAuthorizationException.class, rootCause(refused), service + " reading " + topic);
        });
    }

    @Test
    void packagedKeyServicePublishesRevocationsWithItsScramCredentials() throws Exception {
        ServiceProcess.Builder builder = ServiceProcess.of("key-service").name("key-service-scram");
        kafka.serviceEnvironment("key-service").forEach(builder::env);
        try (ServiceProcess keys = builder.start()) {
            // The service's own view of the broker: connected with its credentials.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            // The group is UP (200) only when every check is; one check's "UP" (the outbox relay) is not enough.
            while (given().baseUri(keys.baseUrl()).get("/q/health/group/kafka").statusCode() != 200
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertEquals(200, given().baseUri(keys.baseUrl()).get("/q/health/group/kafka").statusCode(),
                    "key-service reaches the secured broker:\n" + keys.logTail());

            Map<TopicPartition, Long> before = endOffsets("publish-service");
            IssuedKey key = TestKeys.create(keys.baseUrl(), TestKeys.newOrg(), List.of("posts:read"));
            TestKeys.revoke(keys.baseUrl(), key);

            Predicate<List<ConsumerRecord<String, String>>> revoked = records -> records.stream()
                    .anyMatch(r -> key.id().equals(r.key()) && "api_key.revoked".equals(type(r)));
            List<ConsumerRecord<String, String>> records = readSince("publish-service", before, Duration.ofSeconds(60), revoked);
            assertTrue(revoked.test(records), "publish-service reads the revocation key-service published; read: "
                    + records.stream().filter(r -> key.id().equals(r.key())).map(ConsumerRecord::value).toList());
        }
    }

    // ------------------------------------------------------------------ helpers

    static void send(Properties client, String topic, String key) throws Exception {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(topic, key, "{\"type\":\"api_key.revoked\",\"key_id\":\"" + key + "\",\"seq\":99,\"version\":1}"))
                    .get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    static KafkaConsumer<String, String> consumer(String user) {
        Properties props = kafka.client(user);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }

    /** The end of every partition of the key topic, as {@code user} sees it. */
    static Map<TopicPartition, Long> endOffsets(String user) {
        return endOffsets(user, KEYS);
    }

    static Map<TopicPartition, Long> endOffsets(String user, String topic) {
        try (KafkaConsumer<String, String> consumer = consumer(user)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions, Duration.ofSeconds(30));
        }
    }

    /** Records of the key topic after {@code from}, read as {@code user} until {@code done} holds or the time runs out. */
    static List<ConsumerRecord<String, String>> readSince(String user, Map<TopicPartition, Long> from, Duration timeout,
            Predicate<List<ConsumerRecord<String, String>>> done) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer(user)) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && !done.test(records)) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    static String type(ConsumerRecord<String, String> record) {
        try {
            JsonNode event = JSON.readTree(record.value());
            return event.path("type").asText();
        } catch (Exception e) {
            return null;
        }
    }

    static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
