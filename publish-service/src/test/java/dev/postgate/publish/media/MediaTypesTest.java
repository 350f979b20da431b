package dev.postgate.publish.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.postgate.common.errors.ApiException;

/** Types are recognised by their magic numbers; what the request declares must agree. */
class MediaTypesTest {
    private static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void eachAcceptedTypeIsRecognisedByItsFirstBytes() {
        assertEquals("image/png", MediaTypes.detect(bytes("\u0089PNG\r\n\u001a\n....")));
        assertEquals("image/jpeg", MediaTypes.detect(bytes("\u00ff\u00d8\u00ff\u00e1Exif")));
        assertEquals("image/gif", MediaTypes.detect(bytes("GIF87a....")));
        assertEquals("image/gif", MediaTypes.detect(bytes("GIF89a....")));
        assertEquals("image/webp", MediaTypes.detect(bytes("RIFF\u0000\u0000\u0000\u0000WEBPVP8L")));
        assertEquals("video/mp4", MediaTypes.detect(bytes("\u0000\u0000\u0000\u0020ftypmp42")));
        for (String brand : List.of("isom", "iso2", "iso6", "mp41", "avc1", "M4V ", "dash", "mmp4", "f4v ", "F4V ")) {
            assertEquals("video/mp4", MediaTypes.detect(bytes("\u0000\u0000\u0000\u0020ftyp" + brand)), brand);
        }
        // A camera's own major brand (Canon, Panasonic) or a 3GPP file's, with an MP4 brand among its compatible ones.
        for (String brand : List.of("CAEP", "pana", "3gp4")) {
            assertEquals("video/mp4", MediaTypes.detect(bytes("\u0000\u0000\u0000\u001cftyp" + brand + "\u0000\u0000\u0000\u0001"
                    + brand + "mp42isom....")), brand);
        }
    }

    @Test
    void lookalikesAndOtherFilesAreNotAccepted() {
        assertNull(MediaTypes.detect(bytes("RIFF\u0000\u0000\u0000\u0000WAVEfmt ")));
        assertNull(MediaTypes.detect(bytes("\u0000\u0000\u0000\u0018ftypheic")));
        assertNull(MediaTypes.detect(bytes("\u0000\u0000\u0000\u0014ftypqt  ")));
        // Audio alone in an MP4 container (iTunes audio, audiobooks, Flash audio): no video to post.
        assertNull(MediaTypes.detect(bytes("\u0000\u0000\u0000\u0020ftypM4A ")));
        assertNull(MediaTypes.detect(bytes("\u0000\u0000\u0000\u0020ftypM4B ")));
        assertNull(MediaTypes.detect(bytes("\u0000\u0000\u0000\u0020ftypF4A ")));
        // Found by review: any other brand, unknown or not (more HEIF images, junk), was stored as video/mp4.
        for (String brand : List.of("hevx", "hevm", "hevs", "mif2", "ABCD", "\u0000\u0000\u0000\u0000", "3gp4", "crx ")) {
            assertNull(MediaTypes.detect(bytes("\u0000\u0000\u0000\u0018ftyp" + brand + "junk")), brand);
        }
        // Images and audio alone list MP4 brands as compatible too: the major brand decides; and only the box's own bytes count.
        assertNull(MediaTypes.detect(bytes("\u0000\u0000\u0000\u0018ftypheic\u0000\u0000\u0000\u0000mif1isom")));
        assertNull(MediaTypes.detect(bytes("\u0000\u0000\u0000\u001cftypM4A \u0000\u0000\u0000\u0000M4A mp42isom")));
        assertNull(MediaTypes.detect(bytes("\u0000\u0000\u0000\u0014ftypABCD\u0000\u0000\u0000\u0000ABCDisom")));
        assertNull(MediaTypes.detect(bytes("GIF8")));
        assertNull(MediaTypes.detect(bytes("<svg xmlns=")));
        assertNull(MediaTypes.detect(new byte[0]));
    }

    @Test
    void theDeclaredTypeMustAgreeWithTheBytes() {
        byte[] png = bytes("\u0089PNG\r\n\u001a\n....");
        assertEquals("image/png", MediaTypes.check(png, "image/png"));
        assertEquals("image/png", MediaTypes.check(png, "image/apng"));
        assertEquals("image/png", MediaTypes.check(png, "IMAGE/PNG; charset=binary"));
        assertEquals("image/png", MediaTypes.check(png, "application/octet-stream"));
        assertEquals("image/png", MediaTypes.check(png, null));
        assertEquals(415, assertThrows(ApiException.class, () -> MediaTypes.check(png, "image/jpeg")).status());
        assertEquals(415, assertThrows(ApiException.class, () -> MediaTypes.check(png, "text/plain")).status());
        assertEquals(415, assertThrows(ApiException.class, () -> MediaTypes.check(bytes("hello"), null)).status());
    }
}
