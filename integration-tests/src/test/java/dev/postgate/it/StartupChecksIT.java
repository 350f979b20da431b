package dev.postgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.ServiceProcess;

/**
 * Settings that contradict each other stop a service at start, with a message that names them and
 * says how to fix them, rather than a service that runs and answers wrongly.
 */
class StartupChecksIT {

    /** Starts publish-service with one setting changed and asserts that it exits, saying {@code reason}. */
    private static void refusedToStart(String name, String variable, String value, String reason) {
        IllegalStateException exited = assertThrows(IllegalStateException.class,
                () -> ServiceProcess.of("publish-service").name(name).env(variable, value).start().close());
        assertTrue(exited.getMessage().contains("exited with"), exited.getMessage());
        assertTrue(exited.getMessage().contains(reason), exited.getMessage());
    }

    @Test
    void publishServiceRefusesAFileLimitTheUploadRequestLimitCannotCarry() {
        // 10,990,000 bytes of file leave less than the form's 64 KiB under the shipped 11,010,048-byte request limit.
        refusedToStart("startup-checks-publish", "POSTGATE_MEDIA_MAX_BYTES", "10990000",
                "postgate.publish.media.max-bytes (10990000 bytes, POSTGATE_MEDIA_MAX_BYTES) needs the request limit of /api/v1/media"
                        + " (11010048 bytes, POSTGATE_MEDIA_MAX_REQUEST_BYTES)");
    }

    @Test
    void aServerBodyLimitBelowAPathLimitIsRefused() {
        refusedToStart("startup-checks-server-limit", "QUARKUS_HTTP_LIMITS_MAX_BODY_SIZE", "1M",
                "quarkus.http.limits.max-body-size (1048576 bytes) is below the largest postgate.http body limit (11010048 bytes);"
                        + " set it to 11010048.");
    }

    @Test
    void publishServiceStartsWhenBothLimitsAreRaisedTogether() {
        try (ServiceProcess publish = ServiceProcess.of("publish-service").name("startup-checks-publish-raised")
                .env("POSTGATE_MEDIA_MAX_BYTES", "20971520").env("POSTGATE_MEDIA_MAX_REQUEST_BYTES", "21495808").start()) {
            assertEquals(200, publish.status("/q/health/ready"));
        }
    }

    /**
     * Found by review: a price of 0 (free captions, say) started, then every paid request of that
     * kind was 503 (a reservation holds at least one credit) and due posts stayed publishing.
     */
    @Test
    void aPriceBelowOneCreditIsRefused() {
        refusedToStart("startup-checks-price", "POSTGATE_PUBLISH_PRICES_CAPTION", "0", "postgate.publish.prices.caption");
    }
}
