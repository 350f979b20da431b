package dev.postgate.common.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.Cluster;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Where a Postgate producer puts a record that names no partition: Kafka's own place for its key
 * (murmur2 of the key, modulo the partition count), counting only the partitions this producer has
 * known for {@link #SETTLE}. A partition added to a topic gets records only once every consumer
 * reads it (consumers learn of it within {@link EventConsumers#PARTITIONS_KNOWN_WITHIN} and read
 * it from its beginning), so a revocation or a workspace's deletion never waits where an instance
 * that still trusts its cache does not look. The relay's heartbeats name their partition and go
 * to a new one as soon as the producer knows it. Kafka makes it by name ({@code partitioner.class}).
 */
@RegisterForReflection
public class SettledPartitioner implements Partitioner {
    /** How long a partition count must have been seen before records are spread over it. */
    static final Duration SETTLE = EventConsumers.PARTITIONS_KNOWN_WITHIN.multipliedBy(3);

    private final LongSupplier clock;
    private final Map<String, Counts> counts = new ConcurrentHashMap<>();

    public SettledPartitioner() {
        this(System::currentTimeMillis);
    }

    SettledPartitioner(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
        Integer known = cluster.partitionCountForTopic(topic);
        int over = settled(topic, known == null ? 1 : known);
        return keyBytes == null ? ThreadLocalRandom.current().nextInt(over) : BuiltInPartitioner.partitionForKey(keyBytes, over);
    }

    /**
     * The partitions of {@code topic} to spread records over, now that the producer knows {@code known}:
     * the count seen for {@link #SETTLE}, never more than {@code known}. The first count seen is
     * settled at once: this producer cannot tell how long those partitions have been there.
     */
    int settled(String topic, int known) {
        long now = clock.getAsLong();
        return Math.min(known, counts.compute(topic, (t, c) -> c == null ? new Counts(known, known, now) : c.seen(known, now)).settled);
    }

    @Override
    public void close() {
    }

    /** The count records are spread over, and the newest count seen since when. */
    private record Counts(int settled, int latest, long latestSinceMillis) {
        Counts seen(int known, long nowMillis) {
            if (known != latest) {
                return new Counts(settled, known, nowMillis);
            }
            return settled != latest && nowMillis - latestSinceMillis >= SETTLE.toMillis() ? new Counts(latest, latest, latestSinceMillis) : this;
        }
    }
}
