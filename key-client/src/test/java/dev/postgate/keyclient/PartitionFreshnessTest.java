package dev.postgate.keyclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, finding 8: freshness is per partition. Heartbeats on two partitions of the key topic
 * must not hide a third where nothing arrives (a revocation may be waiting there). And it is
 * judged by record timestamps (SPEC section 6), in epoch milliseconds here.
 */
class PartitionFreshnessTest {
    static final String KEYS = "postgate.api-keys.v1";
    static final String WORKSPACES = "postgate.workspaces.v1";
    static final Duration WINDOW = Duration.ofSeconds(5);
    static final long SECOND = 1_000L;

    private static PartitionFreshness threePartitionsOfEach() {
        PartitionFreshness freshness = new PartitionFreshness();
        freshness.assign(List.of(new TopicPartition(KEYS, 0), new TopicPartition(KEYS, 1), new TopicPartition(KEYS, 2),
                new TopicPartition(WORKSPACES, 0), new TopicPartition(WORKSPACES, 1), new TopicPartition(WORKSPACES, 2)));
        return freshness;
    }

    @Test
    void aTopicIsStaleUntilEveryPartitionHadARecord() {
        PartitionFreshness freshness = threePartitionsOfEach();
        assertTrue(freshness.isEmpty());
        freshness.record(KEYS, 0, 100 * SECOND, 100 * SECOND);
        freshness.record(KEYS, 1, 100 * SECOND, 100 * SECOND);
        assertFalse(freshness.isFresh(KEYS, 101 * SECOND, WINDOW), "partition 2 never had a record");
        freshness.record(KEYS, 2, 101 * SECOND, 101 * SECOND);
        assertTrue(freshness.isFresh(KEYS, 102 * SECOND, WINDOW));
        assertFalse(freshness.isFresh(WORKSPACES, 102 * SECOND, WINDOW), "topics are separate");
    }

    @Test
    void oneStuckPartitionMakesTheTopicStaleWhateverTheOthersReceive() {
        PartitionFreshness freshness = threePartitionsOfEach();
        for (int p = 0; p < 3; p++) {
            freshness.record(KEYS, p, 100 * SECOND, 100 * SECOND);
        }
        // Heartbeats keep arriving on partitions 0 and 1, nothing on 2.
        for (long t = 101; t <= 110; t++) {
            freshness.record(KEYS, 0, t * SECOND, t * SECOND);
            freshness.record(KEYS, 1, t * SECOND, t * SECOND);
        }
        assertTrue(freshness.isFresh(KEYS, 105 * SECOND, WINDOW));
        assertFalse(freshness.isFresh(KEYS, 110 * SECOND, WINDOW), "partition 2 is 10 s old");
        assertEquals(Duration.ofSeconds(10), freshness.age(KEYS, 110 * SECOND));
        freshness.record(KEYS, 2, 110 * SECOND, 110 * SECOND);
        assertTrue(freshness.isFresh(KEYS, 110 * SECOND, WINDOW));
    }

    @Test
    void aNewAssignmentForgetsPartitionsNoLongerRead() {
        PartitionFreshness freshness = threePartitionsOfEach();
        for (int p = 0; p < 3; p++) {
            freshness.record(KEYS, p, 100 * SECOND, 100 * SECOND);
        }
        freshness.assign(List.of(new TopicPartition(KEYS, 0), new TopicPartition(KEYS, 3)));
        assertFalse(freshness.isFresh(KEYS, 100 * SECOND, WINDOW), "partition 3 is new and had no record");
        freshness.record(KEYS, 3, 100 * SECOND, 100 * SECOND);
        assertTrue(freshness.isFresh(KEYS, 100 * SECOND, WINDOW));
    }

    @Test
    void aRecordStampedLongAgoIsStaleHoweverRecentlyItWasRead() {
        PartitionFreshness freshness = threePartitionsOfEach();
        // A backlog from a minute ago, read now.
        for (int p = 0; p < 3; p++) {
            freshness.record(KEYS, p, 40 * SECOND, 100 * SECOND);
        }
        assertFalse(freshness.isFresh(KEYS, 100 * SECOND, WINDOW));
        assertEquals(Duration.ofSeconds(60), freshness.age(KEYS, 100 * SECOND));
    }

    @Test
    void anOlderStampReadLaterDoesNotAgeAPartition() {
        PartitionFreshness freshness = threePartitionsOfEach();
        for (int p = 0; p < 3; p++) {
            freshness.record(KEYS, p, 100 * SECOND, 100 * SECOND);
        }
        freshness.record(KEYS, 1, 90 * SECOND, 90 * SECOND);
        assertEquals(Duration.ofSeconds(2), freshness.age(KEYS, 102 * SECOND));
    }

    /**
     * Whether the workspace topic is heard from now (a deleted workspace is refused within a
     * second, SPEC section 6) goes by when this instance read each partition's heartbeat, on its
     * own clock: a producer's clock a second ahead or behind changes nothing, and a partition not
     * heard from for longer than the window is enough to stop.
     */
    @Test
    void hearingFromATopicGoesByWhenItsHeartbeatsWereReadOnThisClock() {
        PartitionFreshness freshness = threePartitionsOfEach();
        assertFalse(freshness.heardWithin(WORKSPACES, 100 * SECOND, Duration.ofSeconds(1)));
        for (int p = 0; p < 3; p++) {
            // Stamped by a producer whose clock is 3 s ahead.
            freshness.record(WORKSPACES, p, 103 * SECOND, 100 * SECOND);
        }
        assertTrue(freshness.heardWithin(WORKSPACES, 100 * SECOND + 900, Duration.ofSeconds(1)));
        assertFalse(freshness.heardWithin(WORKSPACES, 101 * SECOND + 100, Duration.ofSeconds(1)));
        freshness.record(WORKSPACES, 0, 104 * SECOND, 101 * SECOND);
        freshness.record(WORKSPACES, 1, 104 * SECOND, 101 * SECOND);
        assertFalse(freshness.heardWithin(WORKSPACES, 101 * SECOND + 100, Duration.ofSeconds(1)), "partition 2 was not heard from");
        assertFalse(freshness.heardWithin(KEYS, 100 * SECOND, Duration.ofSeconds(1)), "another topic's heartbeats say nothing of it");
    }
}
