package dev.postgate.keys.receipts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.postgate.common.kafka.InstancesTopic;

/** SPEC section 6: an instance is live until its last alive's record timestamp + its staleness_ms + 1 s. */
class InstanceTrackerTest {
    private static final long STAMP = 1_796_400_000_000L;

    private static InstanceTracker tracker() {
        InstanceTracker tracker = new InstanceTracker();
        tracker.mapper = new ObjectMapper();
        return tracker;
    }

    private static void alive(InstanceTracker tracker, String id, long stalenessMs) {
        alive(tracker, id, "\"staleness_ms\": " + stalenessMs + ", ");
    }

    private static void alive(InstanceTracker tracker, String id, String stalenessField) {
        alive(tracker, id, stalenessField, STAMP);
    }

    private static void alive(InstanceTracker tracker, String id, String stalenessField, long stamp) {
        String value = "{\"type\": \"instance.alive\", \"instance\": \"" + id + "\", \"service\": \"publish-service\", "
                + stalenessField + "\"cache_trusted\": true, \"version\": 1}";
        tracker.accept(new ConsumerRecord<>(InstancesTopic.NAME, 0, 0, stamp, TimestampType.CREATE_TIME, -1, -1, id, value,
                new RecordHeaders(), Optional.empty()));
    }

    @Test
    void anInstanceIsLiveForItsOwnStalenessWindowAndASecond() {
        InstanceTracker tracker = tracker();
        String usual = "publish-service@host-a:8083#aaaa0001";
        String patient = "publish-service@host-b:8083#aaaa0002";
        alive(tracker, usual, 5_000);
        alive(tracker, patient, 60_000);
        assertEquals(2, tracker.liveAt(STAMP + 5_999).size());
        assertEquals(1, tracker.liveAt(STAMP + 6_000).size());
        // The longest window consuming instances accept (key-client refuses more at start): a receipt still expects it.
        assertTrue(tracker.liveAt(STAMP + 60_999).stream().anyMatch(i -> i.id().equals(patient)));
        assertTrue(tracker.liveAt(STAMP + 61_000).isEmpty());
    }

    @Test
    void anAliveThatDoesNotSayItsWindowIsCountedLiveForTheLongestOne() {
        InstanceTracker tracker = tracker();
        String silent = "publish-service@host-c:8083#aaaa0003";
        alive(tracker, silent, "");
        assertTrue(tracker.liveAt(STAMP + 60_999).stream().anyMatch(i -> i.id().equals(silent)));
        assertTrue(tracker.liveAt(STAMP + 61_000).isEmpty());
    }

    /**
     * Found by review: past {@value InstanceTracker#MAX_INSTANCES} tracked instances, a new one was
     * left out silently, so a receipt could say {@code confirmed} without it. While one turned away
     * may be live, the tracker says it does not know every instance.
     */
    @Test
    void whileAnInstanceTurnedAwayForTheCapMayBeLiveTheTrackerDoesNotKnowEveryInstance() {
        InstanceTracker tracker = tracker();
        // Stamped now and live a minute: the cap makes room by dropping instances no longer live by the clock.
        long now = System.currentTimeMillis();
        String window = "\"staleness_ms\": 60000, ";
        for (int i = 0; i < InstanceTracker.MAX_INSTANCES; i++) {
            alive(tracker, String.format("publish-service@host-%d:8083#bbbb%04d", i, i), window, now);
        }
        assertTrue(tracker.tracksEveryInstanceLiveSince(now));
        String turnedAway = "publish-service@host-x:8083#cccc0001";
        alive(tracker, turnedAway, window, now);
        assertEquals(InstanceTracker.MAX_INSTANCES, tracker.liveAt(now).size());
        assertEquals(null, tracker.instance(turnedAway));
        assertFalse(tracker.tracksEveryInstanceLiveSince(now));
        assertFalse(tracker.tracksEveryInstanceLiveSince(now + 60_999), "live for its window and a second");
        assertTrue(tracker.tracksEveryInstanceLiveSince(now + 61_000));
    }
}
