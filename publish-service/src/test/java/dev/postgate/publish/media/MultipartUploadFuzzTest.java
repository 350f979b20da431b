package dev.postgate.publish.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.postgate.common.errors.ApiException;

/**
 * Fuzzes the streaming multipart parsing of uploads ({@link MultipartUpload}): whatever the bytes,
 * and however they are cut into pieces on the way, an upload is either refused with a 4xx of the
 * error hierarchy or read, always the same way, with the file's bytes, size and hash agreeing;
 * and a well-formed upload gives back exactly the name and bytes that were sent. Without
 * {@code JAZZER_FUZZ} it runs the committed inputs ({@code MultipartUploadFuzzTestInputs});
 * bench/README.md tells how to fuzz longer.
 */
class MultipartUploadFuzzTest {
    static final String BOUNDARY = "fuzz-boundary";
    static final long MAX_FILE_BYTES = 64 * 1024;
    static final byte[] PNG = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R' };

    /** What reading a body came to: a refusal (status and code) or the upload and the file bytes handed on. */
    record Outcome(String refusal, MultipartUpload.Result result, String handedOnSha256, long handedOnBytes) {
    }

    static Outcome read(byte[] body, int pieceSize) {
        MultipartUpload upload = MultipartUpload.start("multipart/form-data; boundary=" + BOUNDARY, MAX_FILE_BYTES);
        ByteArrayOutputStream handedOn = new ByteArrayOutputStream();
        try {
            for (int offset = 0; offset < body.length; offset += pieceSize) {
                upload.feed(Arrays.copyOfRange(body, offset, Math.min(body.length, offset + pieceSize)));
                handedOn.writeBytes(upload.takeFileBytes());
            }
            MultipartUpload.Result result = upload.finish();
            handedOn.writeBytes(upload.takeFileBytes());
            return new Outcome(null, result, sha256(handedOn.toByteArray()), handedOn.size());
        } catch (ApiException e) {
            assertTrue(e.status() >= 400 && e.status() < 500, () -> e.status() + " " + e.getMessage());
            return new Outcome(e.status() + " " + e.code(), null, null, 0);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void anyBodyIsRefusedOrReadTheSameHoweverItIsCut(FuzzedDataProvider data) {
        int pieceSize = data.consumeInt(1, 97);
        byte[] body = data.consumeRemainingAsBytes();
        Outcome whole = read(body, Math.max(1, body.length));
        Outcome pieces = read(body, pieceSize);
        assertEquals(whole, pieces);
        if (whole.result() != null) {
            assertEquals(whole.result().size(), whole.handedOnBytes());
            assertEquals(whole.result().sha256(), whole.handedOnSha256());
        }
    }

    @FuzzTest(maxDuration = "10s")
    void aWellFormedUploadGivesBackWhatWasSent(FuzzedDataProvider data) {
        String name = data.consumeString(300);
        int pieceSize = data.consumeInt(1, 4096);
        byte[] file = concat(PNG, data.consumeRemainingAsBytes());
        if (new String(file, StandardCharsets.ISO_8859_1).contains(BOUNDARY) || name.contains(BOUNDARY)) {
            // The sender would have picked another boundary.
            return;
        }
        byte[] body = body(name, "f.png", "image/png", file);
        Outcome outcome = read(body, pieceSize);
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        String sent = new String(nameBytes, StandardCharsets.UTF_8);
        if (file.length > MAX_FILE_BYTES) {
            assertEquals("413 PAYLOAD_TOO_LARGE", outcome.refusal());
        } else if (nameBytes.length > MultipartUpload.MAX_NAME_BYTES) {
            assertEquals("422 VALIDATION_FAILED", outcome.refusal());
        } else {
            assertEquals(null, outcome.refusal(), () -> outcome.refusal());
            assertEquals(sent, outcome.result().name());
            assertEquals("f.png", outcome.result().fileName());
            assertEquals(MediaTypes.PNG, outcome.result().contentType());
            assertEquals(file.length, outcome.result().size());
            assertEquals(sha256(file), outcome.result().sha256());
            assertEquals(sha256(file), outcome.handedOnSha256());
        }
    }

    @Test
    void theFingerprintCoversTheBytesButNotTheBoundary() {
        byte[] file = concat(PNG, new byte[100]);
        byte[] other = file.clone();
        other[50] = 1;
        String first = read(body("n", "f.png", "image/png", file), 7).result().formSha256();
        assertEquals(first, read(body("n", "f.png", "image/png", file).clone(), 100).result().formSha256());
        MultipartUpload elsewhere = MultipartUpload.start("multipart/form-data; boundary=another-one", MAX_FILE_BYTES);
        elsewhere.feed(new String(body("n", "f.png", "image/png", file), StandardCharsets.ISO_8859_1)
                .replace(BOUNDARY, "another-one").getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(first, elsewhere.finish().formSha256());
        assertTrue(!first.equals(read(body("n", "f.png", "image/png", other), 7).result().formSha256()));
        assertTrue(!first.equals(read(body("m", "f.png", "image/png", file), 7).result().formSha256()));
    }

    /** Found by the fuzzer: a base64 part was decoded piece by piece, so the file depended on how the body was cut. */
    @Test
    void anEncodedPartIsRefusedHoweverTheBodyIsCut() {
        byte[] body = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.png\"\r\n"
                + "Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgoAAAANSUhEUgAAAAEAAAAB\r\n--"
                + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int pieceSize : new int[] { body.length, 7, 1 }) {
            assertEquals("400 VALIDATION_FAILED", read(body, pieceSize).refusal());
        }
        byte[] binary = new String(body, StandardCharsets.US_ASCII).replace("base64", "binary").getBytes(StandardCharsets.US_ASCII);
        assertEquals(read(binary, binary.length), read(binary, 7));
    }

    /** Found by review: part headers the parser cannot read threw its own exceptions, which the service answered with 500. */
    @Test
    void unreadablePartHeadersAreRefusedWith400() {
        String part = "--" + BOUNDARY + "\r\n%s\r\nContent-Type: image/png\r\n\r\n\u0089PNG\r\n--" + BOUNDARY + "--\r\n";
        for (String header : new String[] { "Content-Disposition form-data; name=\"file\"",
                "Content-Disposition: form-data; name=\"file\"; filename*=x.png",
                "Content-Disposition: form-data; name=\"file\"; filename*=UTF-8''%ZZ",
                "Content-Disposition: form-data; name=\"file\"; filename*=NOPE''a" }) {
            byte[] body = part.formatted(header).getBytes(StandardCharsets.ISO_8859_1);
            for (int pieceSize : new int[] { body.length, 7, 1 }) {
                assertEquals("400 VALIDATION_FAILED", read(body, pieceSize).refusal(), header);
            }
        }
    }

    /**
     * A form whose part headers never end (or a preamble that never does) is refused once the form
     * around the file is over the room the upload limit leaves it, before it fills memory: the
     * parser keeps a part's headers until they end. Found by review: 11 MB of header lines were
     * kept, about 200 MB of heap for one upload.
     */
    @Test
    void partHeadersThatNeverEndAreRefusedOnceTheFormIsOverItsRoom() {
        MultipartUpload upload = MultipartUpload.start("multipart/form-data; boundary=" + BOUNDARY, MAX_FILE_BYTES);
        upload.feed(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.png\"\r\n")
                .getBytes(StandardCharsets.UTF_8));
        long fed = 0;
        ApiException refused = null;
        for (int line = 0; line < 1024 * 1024 / 16 && refused == null; line++) {
            byte[] header = ("X-H" + String.format("%08d", line) + ": v\r\n").getBytes(StandardCharsets.UTF_8);
            try {
                upload.feed(header);
                fed += header.length;
            } catch (ApiException e) {
                refused = e;
            }
        }
        assertTrue(refused != null, "1 MiB of part headers was taken");
        assertEquals(400, refused.status(), refused.getMessage());
        assertTrue(fed <= MultipartUpload.FORM_BYTES, fed + " bytes of part headers were taken");
        // A file well over the form's room, with the form itself small, is read.
        byte[] large = Arrays.copyOf(PNG, (int) MultipartUpload.FORM_BYTES * 4);
        MultipartUpload bigFile = MultipartUpload.start("multipart/form-data; boundary=" + BOUNDARY, large.length);
        byte[] form = body("logo", "p.png", "image/png", large);
        for (int at = 0; at < form.length; at += 8192) {
            bigFile.feed(Arrays.copyOfRange(form, at, Math.min(form.length, at + 8192)));
            bigFile.takeFileBytes();
        }
        assertEquals(large.length, bigFile.finish().size());
    }

    static byte[] body(String name, String fileName, String type, byte[] file) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(name.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(("\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
