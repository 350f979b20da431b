package dev.postgate.keys;

import java.time.Instant;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.postgate.common.kafka.InstancesTopic;
import dev.postgate.common.testing.TopicRecorder;
import dev.postgate.common.testing.TopicRecorder.Received;
import io.quarkus.arc.Arc;

/**
 * A consuming instance as key-service sees it on postgate.instances.v1: it says it is alive
 * every 100 ms (with a short staleness window, so it counts as gone about a second after it
 * stops), and, while {@link #acking}, acknowledges every key event it reads as a real instance
 * does once its eviction is done. The real instances (workspace-service, publish-service) do
 * this in integration tests; here key-service's own side of the receipts is under test.
 */
final class FakeInstance implements AutoCloseable {
    final String id;
    final String service;
    volatile boolean acking;
    volatile boolean aliveing = true;
    /** What its alives say in {@code cache_trusted}. */
    volatile boolean cacheTrusted = true;
    /** The partition of the instances' topic it writes to; null: its id's, as a real instance's. */
    private final Integer partition;
    private final Instant startedAt = Instant.now();
    private final KafkaProducer<String, String> producer;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private final TopicRecorder keyEvents;
    private final Set<String> acked = new HashSet<>();
    /** The service's own mapper: the records are written as a real instance writes them. */
    private final ObjectMapper json = Arc.container().instance(ObjectMapper.class).get();

    private FakeInstance(String service, boolean acking, Integer partition) {
        this.service = service;
        this.partition = partition;
        this.id = service + "@test-host:1#" + UUID.randomUUID().toString().substring(0, 8);
        this.acking = acking;
        producer = producer();
        keyEvents = TopicRecorder.fromEnd(KeyApi.TOPIC);
        alive();
        producer.flush();
        ticker.scheduleWithFixedDelay(this::tick, 100, 100, TimeUnit.MILLISECONDS);
    }

    /** A producer of the test broker that sends each record at once. */
    static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TopicRecorder.BOOTSTRAP);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    /** Starts an instance that announces itself and (when {@code acking}) acknowledges key events. */
    static FakeInstance start(String service, boolean acking) {
        return new FakeInstance(service, acking, null);
    }

    /** {@link #start}, writing to one partition of the instances' topic. */
    static FakeInstance onPartition(String service, boolean acking, int partition) {
        return new FakeInstance(service, acking, partition);
    }

    /**
     * Writes {@code records} records of a type no reader knows to the instances' topic, all at
     * once: the topic's readers are behind for as long as they take to read them.
     */
    void noise(int records) {
        for (int i = 0; i < records; i++) {
            producer.send(new ProducerRecord<>(InstancesTopic.NAME, "noise", "{\"type\": \"noise\"}"));
        }
        producer.flush();
    }

    /** The label answers show: service and the random part. */
    String label() {
        return service + "#" + id.substring(id.lastIndexOf('#') + 1);
    }

    private void tick() {
        if (aliveing) {
            alive();
        }
        for (Received event : keyEvents.events()) {
            if (acking && event.json() != null && event.json().get("key_id") != null && acked.add(event.partition() + ":" + event.offset())) {
                ack((String) event.json().get("key_id"), ((Number) event.json().get("seq")).longValue(),
                        (String) event.json().get("occurred_at"));
            }
        }
    }

    /** Acknowledges a key event now (what a late instance does when it catches up). */
    void ack(String keyId, long seq, String occurredAt) {
        send(new InstancesTopic.Applied(InstancesTopic.APPLIED, id, service, keyId, seq, Instant.parse(occurredAt), Instant.now(),
                InstancesTopic.VERSION));
        producer.flush();
    }

    private void alive() {
        send(new InstancesTopic.Alive(InstancesTopic.ALIVE, id, service, startedAt, Instant.now(), 200, cacheTrusted,
                InstancesTopic.VERSION));
    }

    private void send(Object value) {
        try {
            producer.send(new ProducerRecord<>(InstancesTopic.NAME, partition, id, json.writeValueAsString(value)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close();
        keyEvents.close();
    }
}
