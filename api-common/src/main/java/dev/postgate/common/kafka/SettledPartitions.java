package dev.postgate.common.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

import org.apache.kafka.common.utils.Utils;

/**
 * Where a Postgate producer puts a record that names no partition ({@link EventProducer}): Kafka's
 * own place for its key (murmur2 of the key, modulo the partition count), counting only the
 * partitions the producer has known for {@link #SETTLE}. A partition added to a topic thus gets
 * records only once every consumer reads it (consumers learn of it within
 * {@link EventConsumers#PARTITIONS_KNOWN_WITHIN} and read it from its beginning), so a revocation
 * or a workspace's deletion never waits where an instance that still trusts its cache does not
 * look. Counts are seen by every send and by every heartbeat pass of the relay, which asks for
 * the partitions at least once a second; the relay's heartbeats name their partition and go to a
 * new one at once.
 */
final class SettledPartitions {
    /** How long a partition count must have been seen before records are spread over it. */
    static final Duration SETTLE = EventConsumers.PARTITIONS_KNOWN_WITHIN.multipliedBy(3);

    /** Milliseconds of a monotonic clock. */
    private final LongSupplier clock;
    private final Map<String, Counts> counts = new ConcurrentHashMap<>();

    SettledPartitions() {
        this(() -> System.nanoTime() / 1_000_000);
    }

    SettledPartitions(LongSupplier clock) {
        this.clock = clock;
    }

    /** The partition of a record of {@code topic} keyed {@code key} (null: any settled one), the producer knowing {@code known}. */
    int partition(String topic, String key, int known) {
        int over = settled(topic, known);
        return key == null ? ThreadLocalRandom.current().nextInt(over)
                : Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % over;
    }

    /**
     * The partitions of {@code topic} to spread records over, now that the producer knows {@code known}:
     * the count seen for {@link #SETTLE}, never more than {@code known}. The first count seen is
     * settled at once: this producer cannot tell how long those partitions have been there.
     */
    int settled(String topic, int known) {
        long now = clock.getAsLong();
        return Math.max(1, Math.min(known, counts.compute(topic, (t, c) -> c == null ? new Counts(known, known, now) : c.seen(known, now)).settled));
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
