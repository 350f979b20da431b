package dev.postgate.keyclient;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.apache.kafka.common.TopicPartition;

/**
 * When the last record (heartbeats included) of each assigned partition arrived. A topic is fresh
 * only when EVERY one of its partitions had a record within the window: heartbeats go to every
 * partition, so one stuck partition (where a revocation may wait) makes the whole topic stale
 * instead of being hidden by the others' heartbeats (issue 14, finding 8).
 */
final class PartitionFreshness {
    private volatile Map<String, Set<Integer>> assigned = Map.of();
    private final Map<TopicPartition, Long> lastRecordNanos = new ConcurrentHashMap<>();

    /** The partitions the consumer reads; records of earlier assignments are forgotten. */
    void assign(Collection<TopicPartition> partitions) {
        assigned = partitions.stream().collect(Collectors.groupingBy(TopicPartition::topic,
                Collectors.mapping(TopicPartition::partition, Collectors.toUnmodifiableSet())));
        lastRecordNanos.keySet().retainAll(Set.copyOf(partitions));
    }

    void record(String topic, int partition, long nanos) {
        lastRecordNanos.put(new TopicPartition(topic, partition), nanos);
    }

    boolean isEmpty() {
        return lastRecordNanos.isEmpty();
    }

    /** True when every assigned partition of the topic had a record within {@code window} of {@code nowNanos}. */
    boolean isFresh(String topic, long nowNanos, Duration window) {
        return age(topic, nowNanos).compareTo(window) <= 0;
    }

    /** The age of the stalest partition of the topic (a day when one never had a record, or none is assigned). */
    Duration age(String topic, long nowNanos) {
        Set<Integer> partitions = assigned.get(topic);
        if (partitions == null || partitions.isEmpty()) {
            return Duration.ofDays(1);
        }
        long oldest = Long.MAX_VALUE;
        for (int partition : partitions) {
            Long last = lastRecordNanos.get(new TopicPartition(topic, partition));
            if (last == null) {
                return Duration.ofDays(1);
            }
            oldest = Math.min(oldest, last);
        }
        return Duration.ofNanos(Math.max(0, nowNanos - oldest));
    }
}
