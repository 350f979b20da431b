package dev.postgate.common.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.postgate.common.api.Ids;
import dev.postgate.common.testing.PostgateInfra;

/**
 * {@link EventConsumers#assignFrom} on the real broker: each partition at its first record written
 * at or after the time, at its end where there is none. Found while testing {@link PollLoop}: when
 * every partition had such a record, every one was moved to its end (Kafka's {@code seekToEnd} of
 * an empty list means all partitions), so a new instance skipped its look-back window.
 */
class EventConsumersTest {
    private static final long NOW = System.currentTimeMillis();

    @Test
    void eachPartitionStartsAtItsFirstRecordAtOrAfterTheTime() throws Exception {
        PostgateInfra.ensure();
        KafkaSettings kafka = PollLoopTest.broker();
        String topic = "event-consumers-test-" + Ids.ulid();
        try (Admin admin = Admin.create(kafka.adminProperties())) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
            try {
                // Partition 0 at 10 and 1 minute ago, partition 1 at 10 and 5 minutes ago.
                produce(kafka, topic, Map.of(0, List.of(minutesAgo(10), minutesAgo(1)), 1, List.of(minutesAgo(10), minutesAgo(5))));
                assertEquals(Map.of(0, 1L, 1, 1L), positions(kafka, topic, minutesAgo(7)), "every partition has a record since");
                assertEquals(Map.of(0, 0L, 1, 0L), positions(kafka, topic, minutesAgo(11)));
                assertEquals(Map.of(0, 1L, 1, 2L), positions(kafka, topic, minutesAgo(3)), "partition 1 has none since: its end");
            } finally {
                admin.deleteTopics(List.of(topic)).all().get();
            }
        }
    }

    private static long minutesAgo(int minutes) {
        return NOW - Duration.ofMinutes(minutes).toMillis();
    }

    private static Map<Integer, Long> positions(KafkaSettings kafka, String topic, long fromMillis) {
        try (KafkaConsumer<String, String> consumer = EventConsumers.open(kafka, "event-consumers-test", Duration.ofMillis(200))) {
            EventConsumers.assignFrom(consumer, List.of(topic), fromMillis, kafka.requestTimeout());
            return Map.of(0, consumer.position(new TopicPartition(topic, 0)), 1, consumer.position(new TopicPartition(topic, 1)));
        }
    }

    private static void produce(KafkaSettings kafka, String topic, Map<Integer, List<Long>> stamps) throws Exception {
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (Map.Entry<Integer, List<Long>> partition : stamps.entrySet()) {
                for (long stamp : partition.getValue()) {
                    producer.send(new ProducerRecord<>(topic, partition.getKey(), stamp, "k", "{}")).get();
                }
            }
        }
    }
}
