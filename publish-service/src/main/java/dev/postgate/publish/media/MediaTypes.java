package dev.postgate.publish.media;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.postgate.common.errors.SimpleErrors;

/**
 * The media types Postgate accepts, recognised by their first bytes (magic numbers) and never
 * by what the request claims: PNG (APNG included), JPEG, GIF, WebP and MP4.
 */
public final class MediaTypes {
    public static final String PNG = "image/png";
    public static final String JPEG = "image/jpeg";
    public static final String GIF = "image/gif";
    public static final String WEBP = "image/webp";
    public static final String MP4 = "video/mp4";

    public static final List<String> ACCEPTED = List.of(PNG, JPEG, GIF, WEBP, MP4);

    /** Other names clients use for the accepted types. */
    private static final Map<String, String> ALIASES = Map.of("image/jpg", JPEG, "image/pjpeg", JPEG,
            "image/apng", PNG, "image/x-png", PNG);

    /** Declared types that say nothing about the bytes: the detected type stands. */
    private static final Set<String> UNSPECIFIC = Set.of("", "application/octet-stream", "binary/octet-stream",
            "application/unknown");

    /**
     * The brands of MP4 video in an {@code ftyp} box: the ISO base media and MP4 brands, H.264 and
     * iTunes video, DASH and CMAF segments, mobile and Sony MP4, XAVC and Flash video. A file is MP4
     * when its major brand is one, or when one of its compatible brands is and its major brand is
     * neither one of {@link #OTHER_ISO_BRANDS} nor unknown to every list (a camera's own brand,
     * {@code CAEP} or {@code pana}, with {@code mp42} among its compatible brands, is MP4).
     */
    private static final Set<String> MP4_VIDEO_BRANDS = Set.of("isom", "iso2", "iso3", "iso4", "iso5", "iso6", "iso7", "iso8",
            "iso9", "mp41", "mp42", "avc1", "M4V ", "M4VH", "M4VP", "dash", "cmfc", "cmf2", "mmp4", "MSNV", "XAVC", "f4v ", "F4V ");

    /**
     * Major brands of files in the same box format that are not MP4 video, whatever they list as
     * compatible: HEIF and AVIF images, QuickTime, Canon raw, and audio alone (iTunes audio and
     * audiobooks, protected iTunes audio, Flash audio and audiobooks).
     */
    private static final Set<String> OTHER_ISO_BRANDS = Set.of("heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs",
            "mif1", "mif2", "msf1", "avif", "avis", "qt  ", "crx ", "M4A ", "M4B ", "M4P ", "F4A ", "F4B ");

    /** How many bytes {@link #detect} needs to see an {@code ftyp} box's brands (a longer box is read that far). */
    public static final int HEAD_BYTES = 64;

    private static final byte[] PNG_SIGNATURE = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };

    private MediaTypes() {
    }

    /** The accepted type these bytes are, or null. */
    public static String detect(byte[] bytes) {
        if (startsWith(bytes, 0, PNG_SIGNATURE)) {
            return PNG;
        }
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xD8 && (bytes[2] & 0xff) == 0xFF) {
            return JPEG;
        }
        if (startsWith(bytes, 0, ascii("GIF87a")) || startsWith(bytes, 0, ascii("GIF89a"))) {
            return GIF;
        }
        if (startsWith(bytes, 0, ascii("RIFF")) && startsWith(bytes, 8, ascii("WEBP"))) {
            return WEBP;
        }
        if (startsWith(bytes, 4, ascii("ftyp")) && bytes.length >= 12) {
            return isMp4Video(bytes) ? MP4 : null;
        }
        return null;
    }

    /** An {@code ftyp} box's major brand (bytes 8 to 11), then its compatible brands (from byte 16, to the box's end). */
    private static boolean isMp4Video(byte[] bytes) {
        String major = brandAt(bytes, 8);
        if (MP4_VIDEO_BRANDS.contains(major)) {
            return true;
        }
        if (OTHER_ISO_BRANDS.contains(major)) {
            return false;
        }
        long boxSize = ((bytes[0] & 0xffL) << 24) | ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
        int end = (int) Math.min(bytes.length, Math.min(boxSize, HEAD_BYTES));
        for (int at = 16; at + 4 <= end; at += 4) {
            if (MP4_VIDEO_BRANDS.contains(brandAt(bytes, at))) {
                return true;
            }
        }
        return false;
    }

    private static String brandAt(byte[] bytes, int offset) {
        return new String(bytes, offset, 4, StandardCharsets.ISO_8859_1);
    }

    /**
     * The type to record for an upload: what the bytes are, provided they are an accepted type
     * and agree with the declared type (when one was declared). Otherwise 415.
     */
    public static String check(byte[] bytes, String declared) {
        String claimed = checkDeclared(declared);
        String detected = detect(bytes);
        if (detected == null) {
            throw SimpleErrors.unsupportedMediaType("The file is not one of the accepted types (" + String.join(", ", ACCEPTED)
                    + "): its content does not start like any of them.");
        }
        if (!UNSPECIFIC.contains(claimed) && !claimed.equals(detected)) {
            throw SimpleErrors.unsupportedMediaType("The file was declared as '" + claimed + "' but its content is "
                    + detected + ". Send it with its real type.");
        }
        return detected;
    }

    /** Refuses (415) a declared type that is not accepted, before any byte is read; returns it normalised. */
    public static String checkDeclared(String declared) {
        String claimed = normalise(declared);
        if (!UNSPECIFIC.contains(claimed) && !ACCEPTED.contains(claimed)) {
            throw SimpleErrors.unsupportedMediaType("Files of type '" + claimed + "' are not accepted; send one of "
                    + String.join(", ", ACCEPTED) + ".");
        }
        return claimed;
    }

    /** A declared type as compared: without parameters, in lower case, aliases resolved ("" for none). */
    public static String normalise(String declared) {
        if (declared == null) {
            return "";
        }
        String type = declared.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return ALIASES.getOrDefault(type, type);
    }

    /** The usual file extension of an accepted type. */
    public static String extension(String contentType) {
        return switch (contentType) {
            case PNG -> "png";
            case JPEG -> "jpg";
            case GIF -> "gif";
            case WEBP -> "webp";
            case MP4 -> "mp4";
            default -> "bin";
        };
    }

    private static boolean startsWith(byte[] bytes, int offset, byte[] prefix) {
        return bytes.length >= offset + prefix.length
                && Arrays.equals(bytes, offset, offset + prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
