package dev.postgate.publish.media;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The file limit must leave room under the upload path's request limit, and the sweep must outwait an upload, or publish-service refuses to start. */
class MediaLimitCheckTest {
    @Test
    void theFileLimitNeedsRoomForTheFormUnderTheRequestLimit() {
        long file = 10 * 1024 * 1024;
        assertDoesNotThrow(() -> MediaLimitCheck.check(file, 11_010_048), "the shipped defaults");
        assertDoesNotThrow(() -> MediaLimitCheck.check(file, file + MultipartUpload.FORM_BYTES));

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> MediaLimitCheck.check(file, file + MultipartUpload.FORM_BYTES - 1));
        assertEquals("postgate.publish.media.max-bytes (10485760 bytes, POSTGATE_MEDIA_MAX_BYTES) needs the request limit of"
                + " /api/v1/media (10551295 bytes, POSTGATE_MEDIA_MAX_REQUEST_BYTES) to be at least 10551296 bytes, room for the"
                + " form around the file; raise the request limit or lower max-bytes.", refused.getMessage());
        assertThrows(IllegalStateException.class, () -> MediaLimitCheck.check(20_000_000, 11_010_048), "a file limit above the request limit");
    }

    /** Found by review: nothing stopped a sweep shorter than an upload from deleting its first pieces while it still arrived. */
    @Test
    void theSweepWaitsAtLeastTwiceAsLongAsAnUploadMayTake() {
        assertDoesNotThrow(() -> MediaLimitCheck.checkSweep(Duration.ofMinutes(10), Duration.ofHours(1)), "the shipped defaults");
        assertDoesNotThrow(() -> MediaLimitCheck.checkSweep(Duration.ofMinutes(10), Duration.ofMinutes(20)));
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> MediaLimitCheck.checkSweep(Duration.ofMinutes(10), Duration.ofMinutes(5)));
        assertEquals("postgate.publish.media.abandoned-after (PT5M) must be at least twice postgate.publish.media.max-upload-duration"
                + " (PT10M): the sweep would delete pieces of uploads still arriving; raise abandoned-after or lower"
                + " max-upload-duration.", refused.getMessage());
    }
}
