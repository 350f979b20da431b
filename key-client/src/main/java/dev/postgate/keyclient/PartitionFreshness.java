package dev.postgate.keyclient;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.apache.kafka.common.TopicPartition;

/**
 * The record timestamp of the newest heartbeat read from each assigned partition. A topic is
 * fresh only when EVERY one of its partitions had a heartbeat stamped within the window:
 * heartbeats go to every partition, so one stuck partition (where a revocation may
 * wait) makes the whole topic stale instead of being hidden by the others' heartbeats (issue 14,
 * finding 8). Record timestamps, not arrival times (SPEC section 6): a consumer reading a backlog
 * minutes behind is stale however fast the records arrive.
 */
final class PartitionFreshness {
    private volatile Map<String, Set<Integer>> assigned = Map.of();
    private final Map<TopicPartition, Long> newestStampMillis = new ConcurrentHashMap<>();
    /** When this instance read each partition's newest heartbeat, by its own clock. */
    private final Map<TopicPartition, Long> lastReadMillis = new ConcurrentHashMap<>();

    /** The partitions the consumer reads; records of earlier assignments are forgotten. */
    void assign(Collection<TopicPartition> partitions) {
        assigned = partitions.stream().collect(Collectors.groupingBy(TopicPartition::topic,
                Collectors.mapping(TopicPartition::partition, Collectors.toUnmodifiableSet())));
        newestStampMillis.keySet().retainAll(Set.copyOf(partitions));
        lastReadMillis.keySet().retainAll(Set.copyOf(partitions));
    }

    /**
     * A heartbeat read from the partition at {@code readMillis} (this instance's clock), stamped
     * {@code stampMillis} (epoch milliseconds); an older stamp changes nothing.
     */
    void record(String topic, int partition, long stampMillis, long readMillis) {
        TopicPartition tp = new TopicPartition(topic, partition);
        newestStampMillis.merge(tp, stampMillis, Math::max);
        lastReadMillis.merge(tp, readMillis, Math::max);
    }

    /**
     * True when this instance read a heartbeat of every assigned partition of the topic within
     * {@code window} of {@code nowMillis}, by its own clock: the stream is flowing now, whatever
     * the producers' clocks say (freshness by record timestamp says how far behind it is).
     */
    boolean heardWithin(String topic, long nowMillis, Duration window) {
        Long oldest = oldest(lastReadMillis, topic);
        return oldest != null && nowMillis - oldest <= window.toMillis();
    }

    /** How many partitions of the topic are assigned. */
    int partitions(String topic) {
        return assigned.getOrDefault(topic, Set.of()).size();
    }

    boolean isEmpty() {
        return newestStampMillis.isEmpty();
    }

    /** True when every assigned partition of the topic had a heartbeat stamped within {@code window} of {@code nowMillis}. */
    boolean isFresh(String topic, long nowMillis, Duration window) {
        return age(topic, nowMillis).compareTo(window) <= 0;
    }

    /** The age of the stalest partition's newest heartbeat (a day when one never had one, or none is assigned). */
    Duration age(String topic, long nowMillis) {
        Long oldest = oldest(newestStampMillis, topic);
        return oldest == null ? Duration.ofDays(1) : Duration.ofMillis(Math.max(0, nowMillis - oldest));
    }

    /** The smallest of {@code values} over the topic's assigned partitions; null when one has none, or none is assigned. */
    private Long oldest(Map<TopicPartition, Long> values, String topic) {
        Set<Integer> partitions = assigned.get(topic);
        if (partitions == null || partitions.isEmpty()) {
            return null;
        }
        long oldest = Long.MAX_VALUE;
        for (int partition : partitions) {
            Long value = values.get(new TopicPartition(topic, partition));
            if (value == null) {
                return null;
            }
            oldest = Math.min(oldest, value);
        }
        return oldest;
    }
}
