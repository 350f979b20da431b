package dev.postgate.keyclient;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.Test;

/**
 * SPEC section 6: key-service counts an instance live for the staleness window its alives
 * announce, and learns of instances by reading a bounded stretch of the topic back; an instance
 * whose window is longer than key-service can honour refuses to start rather than be left out of
 * a confirmed receipt while it still trusts its cache.
 */
class InstanceReportsTest {

    @Test
    void aStalenessWindowOverAMinuteIsRefusedAtStart() {
        assertDoesNotThrow(() -> InstanceReports.checkStalenessWindow(Duration.ofSeconds(5)));
        assertDoesNotThrow(() -> InstanceReports.checkStalenessWindow(Duration.ofSeconds(60)));
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> InstanceReports.checkStalenessWindow(Duration.ofSeconds(61)));
        assertTrue(refused.getMessage().contains("postgate.key-client.staleness-window"), refused.getMessage());
        assertThrows(IllegalStateException.class, () -> InstanceReports.checkStalenessWindow(Duration.ofSeconds(-1)));
    }

    @Test
    void aServiceKeyServiceDoesNotCountRefusesToStart() {
        assertDoesNotThrow(() -> InstanceReports.checkReporting("publish-service"));
        assertDoesNotThrow(() -> InstanceReports.checkReporting("workspace-service"));
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> InstanceReports.checkReporting("media-service"));
        assertTrue(refused.getMessage().contains("quarkus.application.name"), refused.getMessage());
    }

    /**
     * Found by review: the instance counted its window from when an alive's acknowledgement came
     * back, key-service from the alive's record timestamp. With the broker slow to acknowledge, the
     * instance went on trusting its cache after key-service had stopped expecting it in receipts.
     * Here an alive stamped 4 s before the broker acknowledged it, with a 5 s window: announced
     * for 1 s more, not 5.
     */
    @Test
    void anInstanceCountsItsWindowFromItsAlivesRecordTimestamp() {
        long stamped = 1_800_000_000_000L;
        long acknowledged = stamped + 4_000;
        RecordMetadata metadata = new RecordMetadata(new TopicPartition("postgate.instances.v1", 0), 7, 0, stamped, 20, 200);
        long stamp = InstanceReports.stampOf(metadata, acknowledged);
        Duration window = Duration.ofSeconds(5);
        assertTrue(InstanceReports.announcedAt(stamp, acknowledged + 1_000, window));
        assertFalse(InstanceReports.announcedAt(stamp, acknowledged + 1_001, window),
                "the instance stops trusting its cache 5 s after the record timestamp, 1 s before key-service stops expecting it");
        assertFalse(InstanceReports.announcedAt(0, acknowledged, window), "never acknowledged");
        assertEquals(acknowledged, InstanceReports.stampOf(
                new RecordMetadata(new TopicPartition("postgate.instances.v1", 0), 7, 0, RecordBatch.NO_TIMESTAMP, 20, 200), acknowledged),
                "without a record timestamp, the acknowledgement's time");
    }

    /**
     * An announcement is unbroken while each alive is acknowledged within the window of the last
     * one; after a break a new one begins (its cache starts over, VerifiedKeyCache). Announcements
     * are counted: an alive stamped earlier than the last (a clock set back) still begins a new one.
     */
    @Test
    void anAliveAcknowledgedAfterTheWindowRanOutBeginsANewAnnouncement() {
        Duration window = Duration.ofSeconds(5);
        long first = 1_800_000_000_000L;
        InstanceReports.Announcement announced = InstanceReports.Announcement.NONE.acknowledged(first, first + 20, window);
        assertEquals(1, announced.run());
        announced = announced.acknowledged(first + 500, first + 520, window).acknowledged(first + 5_400, first + 5_420, window);
        assertEquals(1, announced.run(), "each alive within the window of the last: one announcement");
        assertEquals(first + 5_400, announced.last());
        assertEquals(2, announced.acknowledged(first + 9_000, first + 10_500, window).run(),
                "acknowledged 5.1 s after the last alive's stamp: a new announcement");
        assertEquals(2, announced.acknowledged(first + 9_000, first + 10_401, window).run());
        assertEquals(1, announced.acknowledged(first + 9_000, first + 10_400, window).run(), "at 5 s exactly, still the same");
        assertEquals(2, announced.acknowledged(first - 60_000, first + 10_500, window).run(), "stamped by a clock set back a minute");
    }
}
