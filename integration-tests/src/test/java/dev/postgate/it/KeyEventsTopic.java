package dev.postgate.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads postgate.api-keys.v1 with a plain consumer (no group), from offsets noted before a test acts. */
final class KeyEventsTopic {
    static final String TOPIC = "postgate.api-keys.v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private KeyEventsTopic() {
    }

    private static KafkaConsumer<String, String> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, dev.postgate.common.testing.PostgateInfra.kafkaBootstrap());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }

    /** The current end of every partition. */
    static Map<TopicPartition, Long> endOffsets() {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(TOPIC, Duration.ofSeconds(30)).forEach(p -> partitions.add(new TopicPartition(TOPIC, p.partition())));
            return new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(30)));
        }
    }

    /** Key events (not heartbeats) written since {@code from}, read until {@code done} holds or the timeout passes. */
    static List<JsonNode> eventsSince(Map<TopicPartition, Long> from, Duration timeout, Predicate<List<JsonNode>> done) {
        List<JsonNode> events = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && !done.test(events)) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        JsonNode event = JSON.readTree(record.value());
                        if (!"heartbeat".equals(event.path("type").asText())) {
                            events.add(event);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException("a record that is not JSON: " + record.value(), e);
                    }
                }
            }
        }
        return events;
    }

    static boolean hasEvent(List<JsonNode> events, String type, String keyId) {
        return events.stream().anyMatch(e -> type.equals(e.path("type").asText()) && keyId.equals(e.path("key_id").asText()));
    }
}
