package dev.postgate.common.kafka;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.postgate.common.tracing.KafkaTracing;
import io.opentelemetry.api.trace.Span;

/**
 * The one Kafka producer of a service: {@code acks=all}, idempotent, {@code linger.ms=0} (event
 * latency matters more than batching here), bounded waits so a broker outage surfaces as a
 * failed future rather than a stuck thread. Callers must not call it on an event-loop thread
 * unless {@link #sendsWithoutWaiting} says so: {@code send} can block up to the request timeout
 * while it waits for a topic's partitions from an unreachable broker.
 */
@ApplicationScoped
public class EventProducer {
    /** How long a topic counts as known after a send to it succeeded (well inside the client's metadata.max.idle.ms, 5 min). */
    static final long KNOWN_FOR_MILLIS = 60_000;
    private final KafkaProducer<String, String> producer;
    /** Per topic, when a send to it last succeeded: the client holds its partitions, so a send does not wait for them. */
    private final Map<String, Long> lastAcknowledged = new ConcurrentHashMap<>();
    private final SettledPartitions settled = new SettledPartitions();

    @Inject
    KafkaTracing tracing;

    @Inject
    public EventProducer(KafkaSettings settings) {
        Properties props = settings.clientProperties();
        int timeoutMs = (int) settings.requestTimeout().toMillis();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs * 3);
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        // A partition added to a topic gets the relay's heartbeats soon, and records once every consumer reads it (SettledPartitions).
        props.put(ProducerConfig.METADATA_MAX_AGE_CONFIG, (int) EventConsumers.PARTITIONS_KNOWN_WITHIN.toMillis());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        this.producer = new KafkaProducer<>(props);
    }

    /**
     * Sends one record, to {@code partition}, or (null) to its key's among the partitions known long
     * enough ({@link SettledPartitions}); the future completes when the broker acknowledged it (all
     * in-sync replicas).
     */
    public CompletableFuture<RecordMetadata> send(String topic, Integer partition, String key, String value) {
        CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
        Span span = null;
        try {
            // Waits for the topic's partitions as a send would (sendsWithoutWaiting says when it does not).
            Integer target = partition != null ? partition : settled.partition(topic, key, producer.partitionsFor(topic).size());
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, target, key, value);
            span = tracing.sending(record);
            Span sending = span;
            producer.send(record, (metadata, error) -> {
                sending.end();
                if (error != null) {
                    lastAcknowledged.remove(topic);
                    acked.completeExceptionally(error);
                } else {
                    lastAcknowledged.put(topic, System.currentTimeMillis());
                    acked.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            // The client could not tell the topic's partitions in time (or refused the record): sends to it may wait again.
            lastAcknowledged.remove(topic);
            if (span != null) {
                span.end();
            }
            acked.completeExceptionally(e);
        }
        return acked;
    }

    /**
     * Whether {@link #send} to {@code topic} returns at once, so that it may be called on an event
     * loop: the broker acknowledged a record of the topic within the last minute and none has
     * failed since, so the client knows the topic's partitions and does not wait for them. (A
     * send still waits when the client's whole buffer, 32 MB, is full: only after a long outage,
     * which the last failure has already made this answer false for.)
     */
    public boolean sendsWithoutWaiting(String topic) {
        Long at = lastAcknowledged.get(topic);
        return at != null && System.currentTimeMillis() - at < KNOWN_FOR_MILLIS;
    }

    /** The topic's partitions as the client knows them (at most a second old); the relay's heartbeat pass asks every second. */
    public List<PartitionInfo> partitionsFor(String topic) {
        List<PartitionInfo> partitions = producer.partitionsFor(topic);
        settled.settled(topic, partitions.size());
        return partitions;
    }

    @PreDestroy
    void close() {
        producer.close(java.time.Duration.ofSeconds(2));
    }
}
