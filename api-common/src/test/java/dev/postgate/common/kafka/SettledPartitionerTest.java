package dev.postgate.common.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/**
 * {@link SettledPartitioner}: Kafka's own place for a key, over the partitions known long enough
 * for every consumer to read them, so a record never lands on a partition an instance does not read yet.
 */
class SettledPartitionerTest {
    private static final String TOPIC = "t";
    private static final Node NODE = new Node(1, "127.0.0.1", 9092);

    private static Cluster withPartitions(int count) {
        List<PartitionInfo> partitions = new ArrayList<>();
        IntStream.range(0, count).forEach(p -> partitions.add(new PartitionInfo(TOPIC, p, NODE, new Node[] {NODE}, new Node[] {NODE})));
        return new Cluster("c", List.of(NODE), partitions, Set.of(), Set.of());
    }

    private static int kafkasOwn(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private static int place(SettledPartitioner partitioner, String key, Cluster cluster) {
        return partitioner.partition(TOPIC, key, key.getBytes(StandardCharsets.UTF_8), "v", null, cluster);
    }

    /** A partitioner that has placed a record while the topic had {@code partitions}, by the clock {@code now}. */
    private static SettledPartitioner settledOn(int partitions, AtomicLong now) {
        SettledPartitioner partitioner = new SettledPartitioner(now::get);
        place(partitioner, "first", withPartitions(partitions));
        return partitioner;
    }

    @Test
    void aKeyGoesWhereKafkaWouldPutIt() {
        SettledPartitioner partitioner = new SettledPartitioner(() -> 0);
        Cluster three = withPartitions(3);
        for (int i = 0; i < 200; i++) {
            String key = "key_" + i;
            assertEquals(kafkasOwn(key, 3), place(partitioner, key, three), key);
        }
    }

    @Test
    void anAddedPartitionGetsRecordsOnlyOnceItHasSettled() {
        AtomicLong now = new AtomicLong(1_000_000);
        SettledPartitioner partitioner = settledOn(3, now);
        Cluster four = withPartitions(4);
        String onTheNewOne = IntStream.range(0, 1000).mapToObj(i -> "key_" + i).filter(k -> kafkasOwn(k, 4) == 3).findFirst().orElseThrow();

        assertEquals(kafkasOwn(onTheNewOne, 3), place(partitioner, onTheNewOne, four), "just added: over the three partitions known before");
        now.addAndGet(SettledPartitioner.SETTLE.toMillis() - 1);
        assertEquals(kafkasOwn(onTheNewOne, 3), place(partitioner, onTheNewOne, four), "not settled yet");
        now.addAndGet(1);
        assertEquals(3, place(partitioner, onTheNewOne, four), "settled: Kafka's own place over four");
        assertTrue(SettledPartitioner.SETTLE.compareTo(EventConsumers.PARTITIONS_KNOWN_WITHIN.multipliedBy(2)) >= 0,
                "consumers learn of a partition within PARTITIONS_KNOWN_WITHIN, then read it on their next poll");
    }

    @Test
    void aRecordWithoutAKeyNeverGoesToAPartitionNotSettled() {
        SettledPartitioner partitioner = settledOn(2, new AtomicLong(0));
        Cluster five = withPartitions(5);
        for (int i = 0; i < 200; i++) {
            int partition = partitioner.partition(TOPIC, null, null, "v", null, five);
            assertTrue(partition >= 0 && partition < 2, "partition " + partition);
        }
    }
}
