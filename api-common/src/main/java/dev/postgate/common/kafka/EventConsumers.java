package dev.postgate.common.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * How a service reads a topic in full on every instance (SPEC section 6: no consumer group): a
 * consumer with bounded waits and no committed offsets, assigned every partition of its topics
 * and positioned at a point in time. Used by the key-event consumer (key-client) and
 * key-service's instance tracker; each reads on its own {@link PollLoop}.
 */
public final class EventConsumers {
    /**
     * How old a Kafka client's view of a topic's partitions may get (its {@code metadata.max.age.ms};
     * Kafka's default is 5 minutes). A partition an operator adds is then known within it: consumers
     * read it ({@link #assignAdded}) and the relay heartbeats it, well inside the staleness window;
     * producers put records there a little later (SettledPartitions).
     */
    public static final Duration PARTITIONS_KNOWN_WITHIN = Duration.ofSeconds(1);

    private EventConsumers() {
    }

    /** When the producer wrote {@code record} (its record timestamp; now, for a record without one). */
    public static long writtenAt(ConsumerRecord<?, ?> record) {
        return record.timestamp() >= 0 ? record.timestamp() : System.currentTimeMillis();
    }

    /**
     * A consumer of JSON text records, with the service's connection settings and its request
     * timeout as every wait; {@code fetchMaxWait} bounds how long the broker holds a fetch.
     */
    public static KafkaConsumer<String, String> open(KafkaSettings kafka, String clientId, Duration fetchMaxWait) {
        Properties props = kafka.clientProperties();
        int timeoutMs = (int) kafka.requestTimeout().toMillis();
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) fetchMaxWait.toMillis());
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) PARTITIONS_KNOWN_WITHIN.toMillis());
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-" + ProcessHandle.current().pid());
        return new KafkaConsumer<>(props);
    }

    /**
     * Assigns every partition of {@code topics} and positions each at the first record written at
     * or after {@code fromMillis} (at the end where there is none); the partitions assigned.
     * Fails when a topic does not exist.
     */
    public static List<TopicPartition> assignFrom(KafkaConsumer<String, String> consumer, List<String> topics, long fromMillis,
            Duration timeout) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist");
            }
            infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(tp -> times.put(tp, fromMillis));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(times, timeout);
        List<TopicPartition> toEnd = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp offset = offsets.get(tp);
            if (offset == null) {
                toEnd.add(tp);
            } else {
                consumer.seek(tp, offset.offset());
            }
        }
        if (!toEnd.isEmpty()) {
            // Not with an empty list: that moves every assigned partition to its end.
            consumer.seekToEnd(toEnd);
        }
        return partitions;
    }

    /**
     * Assigns the partitions of {@code topics} added since the consumer was assigned (as its
     * metadata, at most {@link #PARTITIONS_KNOWN_WITHIN} old, knows them), read from their
     * beginning: a new partition holds nothing older than itself. The partitions already assigned
     * keep their positions. The partitions added, often none.
     */
    public static List<TopicPartition> assignAdded(KafkaConsumer<String, String> consumer, List<String> topics) {
        Set<TopicPartition> assigned = consumer.assignment();
        List<TopicPartition> added = new ArrayList<>();
        for (String topic : topics) {
            // From the consumer's metadata, which holds the assigned topics; a call to the broker only after a metadata error dropped the topic.
            for (PartitionInfo partition : consumer.partitionsFor(topic)) {
                TopicPartition tp = new TopicPartition(topic, partition.partition());
                if (!assigned.contains(tp)) {
                    added.add(tp);
                }
            }
        }
        assignFromBeginning(consumer, added);
        return added;
    }

    /**
     * Adds {@code partitions} (new to the consumer) to what it reads, from their beginning; those
     * already assigned keep their positions.
     */
    public static void assignFromBeginning(KafkaConsumer<String, String> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        List<TopicPartition> all = new ArrayList<>(consumer.assignment());
        all.addAll(partitions);
        consumer.assign(all);
        consumer.seekToBeginning(partitions);
    }

    /** Ends a poll loop at shutdown: wakes its consumer out of {@code poll} and waits up to 3 s for its thread. */
    public static void stop(KafkaConsumer<String, String> consumer, Thread loop) {
        if (consumer != null) {
            consumer.wakeup();
        }
        if (loop != null) {
            try {
                loop.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Closes a consumer that may be broken, waiting at most {@code wait}. */
    public static void closeQuietly(KafkaConsumer<String, String> consumer, Duration wait) {
        if (consumer == null) {
            return;
        }
        try {
            consumer.close(wait);
        } catch (RuntimeException e) {
            // closing a broken consumer
        }
    }
}
