package dev.postgate.keyclient;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

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
}
