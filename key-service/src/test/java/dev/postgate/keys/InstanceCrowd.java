package dev.postgate.keys;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.postgate.common.kafka.InstancesTopic;
import io.quarkus.arc.Arc;

/**
 * Many consuming instances as key-service sees them, from one producer: every 100 ms each says it
 * is alive (a 200 ms window, so all are gone about 1.2 s after it stops), in the same order, on one
 * partition of the instances' topic, so key-service reads them in that order. Unlike
 * {@link FakeInstance}, they acknowledge a key only when told ({@link #ack}).
 */
final class InstanceCrowd implements AutoCloseable {
    final List<String> ids = new ArrayList<>();
    private final Instant startedAt = Instant.now();
    private final KafkaProducer<String, String> producer;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private final ObjectMapper json = Arc.container().instance(ObjectMapper.class).get();

    InstanceCrowd(int size) {
        for (int i = 0; i < size; i++) {
            ids.add(String.format("publish-service@crowd-%d:1#%08d", i, i));
        }
        producer = FakeInstance.producer();
        ticker.scheduleWithFixedDelay(this::alive, 0, 100, TimeUnit.MILLISECONDS);
    }

    private void alive() {
        for (String id : ids) {
            send(id, new InstancesTopic.Alive(InstancesTopic.ALIVE, id, "publish-service", startedAt, Instant.now(), 200, true,
                    InstancesTopic.VERSION));
        }
        producer.flush();
    }

    /** The instance {@code id} applied the key's event {@code seq}. */
    void ack(String id, String keyId, long seq) {
        Instant now = Instant.now();
        send(id, new InstancesTopic.Applied(InstancesTopic.APPLIED, id, "publish-service", keyId, seq, now, now, InstancesTopic.VERSION));
    }

    private void send(String id, Object value) {
        try {
            producer.send(new ProducerRecord<>(InstancesTopic.NAME, 0, id, json.writeValueAsString(value)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops, and waits until none of them is live any more (their window and the second of grace). */
    @Override
    public void close() throws InterruptedException {
        ticker.shutdownNow();
        ticker.awaitTermination(2, TimeUnit.SECONDS);
        producer.close();
        Thread.sleep(1500);
    }
}
