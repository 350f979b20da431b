package dev.postgate.common.kafka;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

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
 * failed future rather than a stuck thread. Callers must not call it on an event-loop thread:
 * {@code send} can block up to the request timeout while the broker is unreachable.
 */
@ApplicationScoped
public class EventProducer {
    private final KafkaProducer<String, String> producer;

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
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        this.producer = new KafkaProducer<>(props);
    }

    /** Sends one record; the future completes when the broker acknowledged it (all in-sync replicas). */
    public CompletableFuture<RecordMetadata> send(String topic, Integer partition, String key, String value) {
        CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, partition, key, value);
        Span span = tracing.sending(record);
        try {
            producer.send(record, (metadata, error) -> {
                span.end();
                if (error != null) {
                    acked.completeExceptionally(error);
                } else {
                    acked.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            span.end();
            acked.completeExceptionally(e);
        }
        return acked;
    }

    public List<PartitionInfo> partitionsFor(String topic) {
        return producer.partitionsFor(topic);
    }

    @PreDestroy
    void close() {
        producer.close(java.time.Duration.ofSeconds(2));
    }
}
