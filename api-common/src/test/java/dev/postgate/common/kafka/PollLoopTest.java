package dev.postgate.common.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.postgate.common.api.Ids;
import dev.postgate.common.testing.PostgateInfra;

/**
 * A poll loop that fails goes on where it stopped, on the real broker: the record whose reading
 * failed is read again, and nothing before it. Found by review: the new consumer was positioned
 * where the first one started, so an instance up for days read days of its topic again after one
 * failure (key-client stale all that time, key-service's receipts partial).
 */
class PollLoopTest {
    private static final int RECORDS = 10;
    private static final long FAILS_AT = 5;

    static KafkaSettings broker() {
        return new KafkaSettings() {
            @Override
            public String bootstrapServers() {
                return PostgateInfra.kafkaBootstrap();
            }

            @Override
            public Duration requestTimeout() {
                return Duration.ofSeconds(5);
            }

            @Override
            public String securityProtocol() {
                return "PLAINTEXT";
            }

            @Override
            public Optional<String> saslMechanism() {
                return Optional.empty();
            }

            @Override
            public Optional<String> saslJaasConfig() {
                return Optional.empty();
            }
        };
    }

    @Test
    void aLoopWhoseReadingFailedGoesOnWhereItStopped() throws Exception {
        PostgateInfra.ensure();
        KafkaSettings kafka = broker();
        String topic = "poll-loop-test-" + Ids.ulid();
        try (Admin admin = Admin.create(kafka.adminProperties())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            try {
                produce(kafka, topic);
                List<Long> read = Collections.synchronizedList(new ArrayList<>());
                AtomicInteger failures = new AtomicInteger();
                PollLoop loop = new PollLoop("poll-loop-test", Duration.ofMillis(200), new PollLoop.Reader() {
                    @Override
                    public void position(KafkaConsumer<String, String> consumer) {
                        EventConsumers.assignFrom(consumer, List.of(topic), 0, kafka.requestTimeout());
                    }

                    @Override
                    public void accept(ConsumerRecord<String, String> record) {
                        read.add(record.offset());
                        if (record.offset() == FAILS_AT && failures.get() == 0) {
                            throw new IllegalStateException("reading record " + FAILS_AT + " failed");
                        }
                    }

                    @Override
                    public void failed(RuntimeException error, boolean first) {
                        failures.incrementAndGet();
                    }
                });
                loop.start(kafka);
                try {
                    await().atMost(Duration.ofSeconds(30)).until(() -> read.contains(RECORDS - 1L));
                    // Long enough for a loop that started over to be seen reading the first records again.
                    Thread.sleep(1500);
                } finally {
                    loop.stop();
                }
                assertEquals(1, failures.get());
                assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 5L, 6L, 7L, 8L, 9L), List.copyOf(read));
            } finally {
                admin.deleteTopics(List.of(topic)).all().get();
            }
        }
    }

    private static void produce(KafkaSettings kafka, String topic) throws Exception {
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(topic, "k", "{\"n\":" + i + "}")).get();
            }
        }
    }
}
