package dev.postgate.publish.media;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The file limit must leave room under the upload path's request limit, or publish-service refuses to start. */
class MediaLimitCheckTest {
    @Test
    void theFileLimitNeedsRoomForTheFormUnderTheRequestLimit() {
        long file = 10 * 1024 * 1024;
        assertDoesNotThrow(() -> MediaLimitCheck.check(file, 11_010_048), "the shipped defaults");
        assertDoesNotThrow(() -> MediaLimitCheck.check(file, file + MediaLimitCheck.FORM_BYTES));

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> MediaLimitCheck.check(file, file + MediaLimitCheck.FORM_BYTES - 1));
        assertEquals("postgate.publish.media.max-bytes (10485760 bytes, POSTGATE_MEDIA_MAX_BYTES) needs the request limit of"
                + " /api/v1/media (10551295 bytes, POSTGATE_MEDIA_MAX_REQUEST_BYTES) to be at least 10551296 bytes, room for the"
                + " form around the file; raise the request limit or lower max-bytes.", refused.getMessage());
        assertThrows(IllegalStateException.class, () -> MediaLimitCheck.check(20_000_000, 11_010_048), "a file limit above the request limit");
    }
}
