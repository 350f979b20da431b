package dev.postgate.common.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

/**
 * {@link SettledPartitions}: Kafka's own place for a key, over the partitions known long enough
 * for every consumer to read them, so a record never lands on a partition an instance does not read yet.
 */
class SettledPartitionsTest {
    private static final String TOPIC = "t";

    /** Where Kafka's default partitioner puts a keyed record. */
    private static int kafkasOwn(String key, int partitions) {
        return BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitions);
    }

    /** Partitions that have seen the topic with {@code partitions}, by the clock {@code now}. */
    private static SettledPartitions seenWith(int partitions, AtomicLong now) {
        SettledPartitions settled = new SettledPartitions(now::get);
        settled.settled(TOPIC, partitions);
        return settled;
    }

    @Test
    void aKeyGoesWhereKafkaWouldPutIt() {
        SettledPartitions settled = seenWith(3, new AtomicLong(0));
        for (int i = 0; i < 200; i++) {
            String key = "key_" + i;
            assertEquals(kafkasOwn(key, 3), settled.partition(TOPIC, key, 3), key);
        }
    }

    @Test
    void anAddedPartitionGetsRecordsOnlyOnceItHasSettled() {
        AtomicLong now = new AtomicLong(1_000_000);
        SettledPartitions settled = seenWith(3, now);
        String onTheNewOne = IntStream.range(0, 1000).mapToObj(i -> "key_" + i).filter(k -> kafkasOwn(k, 4) == 3).findFirst().orElseThrow();

        assertEquals(kafkasOwn(onTheNewOne, 3), settled.partition(TOPIC, onTheNewOne, 4), "just added: over the three partitions known before");
        now.addAndGet(SettledPartitions.SETTLE.toMillis() - 1);
        assertEquals(kafkasOwn(onTheNewOne, 3), settled.partition(TOPIC, onTheNewOne, 4), "not settled yet");
        now.addAndGet(1);
        assertEquals(3, settled.partition(TOPIC, onTheNewOne, 4), "settled: Kafka's own place over four");
        assertTrue(SettledPartitions.SETTLE.compareTo(EventConsumers.PARTITIONS_KNOWN_WITHIN.multipliedBy(2)) >= 0,
                "consumers learn of a partition within PARTITIONS_KNOWN_WITHIN, then read it on their next poll");
    }

    /** The relay's heartbeat pass sees the count every second: the wait starts then, not at the next keyed record. */
    @Test
    void theWaitStartsWhenTheCountIsFirstSeenNotAtTheNextRecord() {
        AtomicLong now = new AtomicLong(0);
        SettledPartitions settled = seenWith(3, now);
        settled.settled(TOPIC, 4);
        now.addAndGet(SettledPartitions.SETTLE.toMillis());
        String onTheNewOne = IntStream.range(0, 1000).mapToObj(i -> "key_" + i).filter(k -> kafkasOwn(k, 4) == 3).findFirst().orElseThrow();
        assertEquals(3, settled.partition(TOPIC, onTheNewOne, 4));
    }

    @Test
    void aRecordWithoutAKeyNeverGoesToAPartitionNotSettled() {
        SettledPartitions settled = seenWith(2, new AtomicLong(0));
        for (int i = 0; i < 200; i++) {
            int partition = settled.partition(TOPIC, null, 5);
            assertTrue(partition >= 0 && partition < 2, "partition " + partition);
        }
    }
}
