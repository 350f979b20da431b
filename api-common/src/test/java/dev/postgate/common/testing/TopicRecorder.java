package dev.postgate.common.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads one topic of the real broker from its end, the way an outside consumer would: a plain
 * {@link KafkaConsumer} with {@code assign()} on every partition (no consumer group), positioned
 * at the end when created, so it sees exactly what is published after that moment. Records are
 * kept in arrival order; JSON values are parsed for assertions.
 */
public final class TopicRecorder implements AutoCloseable {
    public static final String BOOTSTRAP = PostgateInfra.kafkaBootstrap();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaConsumer<String, String> consumer;
    private final List<TopicPartition> partitions;
    private final List<Received> received = new ArrayList<>();

    /** One record as a consumer sees it; {@code json} is null when the value is not a JSON object. */
    public record Received(int partition, long offset, String key, String value, Map<String, Object> json) {
        public String type() {
            return json == null ? null : (String) json.get("type");
        }

        public boolean isHeartbeat() {
            return "heartbeat".equals(type());
        }

        /** True for an event about this key (record key or {@code key_id}). */
        public boolean isAbout(String keyId) {
            return keyId.equals(key) || json != null && keyId.equals(json.get("key_id"));
        }

        public Instant occurredAt() {
            Object at = json == null ? null : json.get("occurred_at");
            return at == null ? null : Instant.parse(at.toString());
        }
    }

    private TopicRecorder(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "postgate-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(props);
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            consumer.close();
            throw new IllegalStateException("topic " + topic + " has no partitions on " + BOOTSTRAP);
        }
        partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // seekToEnd is lazy: resolve the positions now, so that what follows this line is seen.
        for (TopicPartition partition : partitions) {
            consumer.position(partition, Duration.ofSeconds(30));
        }
    }

    /** Starts reading {@code topic} from its current end. */
    public static TopicRecorder fromEnd(String topic) {
        return new TopicRecorder(topic);
    }

    public List<Integer> partitions() {
        return partitions.stream().map(TopicPartition::partition).toList();
    }

    /** Fetches what has arrived and returns every record seen so far. */
    public synchronized List<Received> poll() {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
            received.add(new Received(r.partition(), r.offset(), r.key(), r.value(), parse(r.value())));
        }
        return List.copyOf(received);
    }

    /** Records seen so far that are not heartbeats. */
    public synchronized List<Received> events() {
        return poll().stream().filter(r -> !r.isHeartbeat()).toList();
    }

    /** The events about one key, in the order they arrived (one key is always on one partition). */
    public List<Received> eventsAbout(String keyId) {
        return events().stream().filter(r -> r.isAbout(keyId)).toList();
    }

    /** Polls until some record matches, or fails after {@code timeout}. */
    public Received await(Predicate<Received> match, Duration timeout, String description) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            for (Received r : poll()) {
                if (match.test(r)) {
                    return r;
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no record " + description + " arrived within " + timeout + "; seen "
                        + summary(events()));
            }
        }
    }

    /** Polls until the records seen satisfy {@code condition}, or fails after {@code timeout}. */
    public List<Received> awaitAll(Predicate<List<Received>> condition, Duration timeout, String description) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            List<Received> all = poll();
            if (condition.test(all)) {
                return all;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(description + " did not happen within " + timeout + "; seen " + summary(events()));
            }
        }
    }

    /**
     * Waits until every partition carried a heartbeat sent after this call. The relay sends
     * heartbeats only after it has drained the outbox, so afterwards every event committed before
     * this call has been read.
     */
    public void awaitCaughtUp(Duration timeout) {
        Instant since = Instant.now();
        awaitAll(all -> partitions().stream().allMatch(p -> all.stream().anyMatch(r -> r.partition() == p
                && r.isHeartbeat() && r.occurredAt() != null && !r.occurredAt().isBefore(since))),
                timeout, "a heartbeat on every partition after " + since);
    }

    private static String summary(Collection<Received> records) {
        return records.stream().map(r -> r.partition() + "/" + r.offset() + " " + r.value()).toList().toString();
    }

    private static Map<String, Object> parse(String value) {
        if (value == null) {
            return null;
        }
        try {
            return JSON.readValue(value, new TypeReference<Map<String, Object>>() {
            });
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}
