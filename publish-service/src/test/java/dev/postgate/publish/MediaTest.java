package dev.postgate.publish;

import static io.restassured.RestAssured.given;
import static dev.postgate.common.testing.EnvelopeChecks.error;
import static dev.postgate.publish.Api.MEDIA;
import static dev.postgate.publish.Api.POSTS;
import static dev.postgate.common.testing.EnvelopeChecks.data;
import static dev.postgate.common.testing.EnvelopeChecks.list;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.WorkspaceServiceResource;
import dev.postgate.publish.generation.Png;
import dev.postgate.publish.generation.Raster;
import dev.postgate.publish.media.MediaConfig;
import dev.postgate.publish.media.TransferSlots;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Uploads: the type comes from the bytes, the size is limited, and the bytes come back as they went in. */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WorkspaceServiceResource.class, scope = TestResourceScope.GLOBAL)
class MediaTest {
    static final byte[] JPEG = { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0 };
    static final byte[] GIF = "GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000;".getBytes(StandardCharsets.ISO_8859_1);
    static final byte[] WEBP = "RIFF\u0024\u0000\u0000\u0000WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1);
    static final byte[] MP4 = "\u0000\u0000\u0000\u0018ftypisom\u0000\u0000\u0002\u0000isomiso2".getBytes(StandardCharsets.ISO_8859_1);

    @Inject
    TransferSlots slots;

    @Inject
    MediaConfig mediaConfig;

    private static Api.Tenant tenant;
    private static IssuedKey key;

    @BeforeAll
    static void setUp() {
        tenant = Api.tenant(0);
        key = tenant.key("media:read", "media:write", "posts:write", "posts:read");
    }

    /** A real PNG of the given size. */
    static byte[] png(int width, int height) {
        Raster raster = new Raster(width, height);
        raster.fill(0x3366CC);
        return Png.encode(raster);
    }

    private static Response upload(String path, String fileName, byte[] bytes, String declaredType) {
        return tenant.as(key).multiPart("file", fileName, bytes, declaredType).post(path);
    }

    @Test
    void anUploadIsStoredWithTheTypeItsBytesHave() throws Exception {
        byte[] bytes = png(16, 8);
        Response response = tenant.as(key).multiPart("file", "pixel.png", bytes, "image/png").multiPart("name", "Banner").post(MEDIA);
        assertEquals(201, response.statusCode(), response.asString());
        Map<String, Object> media = data(response);
        String id = (String) media.get("id");
        assertTrue(id.startsWith("med_"), id);
        assertEquals("/api/v1/media/" + id, response.header("Location"));
        assertEquals(tenant.workspaceId(), media.get("workspace_id"));
        assertEquals("Banner", media.get("name"));
        assertEquals("image/png", media.get("content_type"));
        assertEquals(bytes.length, ((Number) media.get("size")).intValue());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), media.get("sha256"));

        assertEquals(media, data(tenant.as(key).get(MEDIA + "/" + id)));
        Response content = tenant.as(key).get(MEDIA + "/" + id + "/content");
        assertEquals(200, content.statusCode());
        assertEquals("image/png", content.contentType());
        assertArrayEquals(bytes, content.asByteArray());
        for (String header : List.of("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")) {
            assertNotNull(content.header(header), header + " on a download, as on every answer to a key");
        }
        assertTrue(list(tenant.as(key).get(MEDIA)).stream().anyMatch(m -> id.equals(m.get("id"))));
    }

    @Test
    void everyAcceptedTypeIsRecognisedEvenWhenTheRequestDoesNotSayWhatItIs() {
        Map<String, byte[]> files = Map.of("image/jpeg", JPEG, "image/gif", GIF, "image/webp", WEBP, "video/mp4", MP4,
                "image/png", png(2, 2));
        files.forEach((type, bytes) -> {
            Response declared = upload("/api/v1/media/upload", "f", bytes, type);
            assertEquals(201, declared.statusCode(), type + " " + declared.asString());
            assertEquals(type, data(declared).get("content_type"));
            assertEquals(MEDIA + "/" + data(declared).get("id"), declared.header("Location"), "the alias answers as POST /api/v1/media");
            Response undeclared = upload(MEDIA, "f", bytes, "application/octet-stream");
            assertEquals(201, undeclared.statusCode(), type + " " + undeclared.asString());
            assertEquals(type, data(undeclared).get("content_type"));
        });
    }

    @Test
    void bytesThatAreNotTheDeclaredTypeAreRefused() {
        error(upload(MEDIA, "fake.jpg", png(2, 2), "image/jpeg"), 415, "UNSUPPORTED_MEDIA_TYPE");
        error(upload(MEDIA, "fake.png", "just text".getBytes(StandardCharsets.UTF_8), "image/png"), 415, "UNSUPPORTED_MEDIA_TYPE");
        error(upload(MEDIA, "notes.txt", "just text".getBytes(StandardCharsets.UTF_8), "text/plain"), 415, "UNSUPPORTED_MEDIA_TYPE");
        error(upload(MEDIA, "page.html", png(2, 2), "text/html"), 415, "UNSUPPORTED_MEDIA_TYPE");
        byte[] heic = "\u0000\u0000\u0000\u0018ftypheic\u0000\u0000\u0000\u0000".getBytes(StandardCharsets.ISO_8859_1);
        error(upload(MEDIA, "photo.heic", heic, "application/octet-stream"), 415, "UNSUPPORTED_MEDIA_TYPE");
        // Found by review: audio alone in an MP4 container was stored as video/mp4.
        byte[] m4a = "\u0000\u0000\u0000\u0020ftypM4A \u0000\u0000\u0000\u0000".getBytes(StandardCharsets.ISO_8859_1);
        error(upload(MEDIA, "song.m4a", m4a, "application/octet-stream"), 415, "UNSUPPORTED_MEDIA_TYPE");
        error(upload(MEDIA, "song.mp4", m4a, "video/mp4"), 415, "UNSUPPORTED_MEDIA_TYPE");
        // Found by review: an ftyp box of a brand no MP4 video has was stored as video/mp4.
        byte[] junk = "\u0000\u0000\u0000\u0018ftypABCD\u0000\u0000\u0000\u0000not a video".getBytes(StandardCharsets.ISO_8859_1);
        error(upload(MEDIA, "clip.mp4", junk, "video/mp4"), 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void anUploadOverTheLimitIsPayloadTooLarge() {
        // Just over the file limit: read (the request is under the edge's limit), then refused.
        byte[] justOver = Arrays.copyOf(png(2, 2), 10 * 1024 * 1024 + 1);
        Map<String, Object> error = error(upload(MEDIA, "big.png", justOver, "image/png"), 413, "PAYLOAD_TOO_LARGE");
        assertTrue(((String) error.get("message")).contains("10485760"), error::toString);
        // Well over: refused at the edge, from Content-Length, before the body is read.
        byte[] wayOver = Arrays.copyOf(png(2, 2), 12 * 1024 * 1024);
        error(upload("/api/v1/media/upload", "huge.png", wayOver, "image/png"), 413, "PAYLOAD_TOO_LARGE");
        // At the limit: fine.
        Response atLimit = upload(MEDIA, "ok.png", Arrays.copyOf(png(2, 2), 10 * 1024 * 1024), "image/png");
        assertEquals(201, atLimit.statusCode(), atLimit.asString());
    }

    /**
     * The upload limit is the uploads': a media path's other requests keep the general one (1 MiB).
     * Found by review: the limit went by path prefix, so a DELETE of a media item could send, and
     * have read into memory, 11 MB, with no upload slot or deadline around it.
     */
    @Test
    void onlyAnUploadMayCarryABodyOverTheGeneralLimit() {
        String media = (String) data(upload(MEDIA, "keep.png", png(2, 2), "image/png")).get("id");
        byte[] twoMegabytes = new byte[2 * 1024 * 1024];
        Arrays.fill(twoMegabytes, (byte) ' ');
        error(tenant.as(key).contentType(ContentType.JSON).body(twoMegabytes).delete(MEDIA + "/" + media), 413, "PAYLOAD_TOO_LARGE");
        assertEquals(200, tenant.as(key).get(MEDIA + "/" + media).statusCode(), "nothing was deleted");
    }

    /**
     * An upload's name follows the rule of every text field (SPEC section 4): too long is 422 naming
     * {@code name}, nothing stored; other text is stored and echoed exactly.
     */
    @Test
    void anUploadNameIsCheckedAsTextFieldsAre() {
        Map<String, Object> tooLong = error(tenant.as(key).multiPart("file", "p.png", png(2, 2), "image/png")
                .multiPart("name", "n".repeat(256)).post(MEDIA), 422, "VALIDATION_FAILED");
        assertEquals("name is at most 255 characters.", tooLong.get("message"), tooLong::toString);
        Response exact = tenant.as(key).multiPart("file", "p.png", png(2, 2), "image/png").multiPart("name", "  Logo\tv2  ").post(MEDIA);
        assertEquals(201, exact.statusCode(), exact.asString());
        assertEquals("  Logo\tv2  ", data(exact).get("name"));
    }

    /**
     * Without a {@code name} (or with a blank one), the file's own name is the name: its last path
     * segment (RFC 7578 section 4.2: a browser may send a path), cut to 255 characters, never a 422
     * for a field the client did not send. Found by review: a file name over 255 characters made the
     * whole upload 422 on {@code name}, and directory parts were kept.
     */
    @Test
    void withoutANameTheFilesOwnLastSegmentIsTheName() {
        String longName = "a".repeat(300) + ".png";
        Response cut = tenant.as(key).multiPart("file", longName, png(2, 2), "image/png").post(MEDIA);
        assertEquals(201, cut.statusCode(), cut.asString());
        assertEquals("a".repeat(255), data(cut).get("name"));
        for (String path : List.of("C:\\fakepath\\photo.png", "../../photo.png", "/home/me/photo.png")) {
            Response stripped = tenant.as(key).multiPart("file", path, png(2, 2), "image/png").post(MEDIA);
            assertEquals(201, stripped.statusCode(), stripped.asString());
            assertEquals("photo.png", data(stripped).get("name"), path);
        }
        Response blank = tenant.as(key).multiPart("file", "photo.png", png(2, 2), "image/png").multiPart("name", "  ").post(MEDIA);
        assertEquals("photo.png", data(blank).get("name"));
        Response dirOnly = tenant.as(key).multiPart("file", "photos/", png(2, 2), "image/png").post(MEDIA);
        assertEquals("upload", data(dirOnly).get("name"));
    }

    @Test
    void anUploadWithoutAFileOrAsJsonIsRefused() {
        error(tenant.as(key).multiPart("name", "nothing").post(MEDIA), 422, "VALIDATION_FAILED");
        error(tenant.as(key).contentType(ContentType.JSON).body("{}").post(MEDIA), 415, "UNSUPPORTED_MEDIA_TYPE");
        // SPEC section 4's order: without a credential it is 401 first.
        error(given().contentType(ContentType.JSON).body("{}").post(MEDIA), 401, "UNAUTHORIZED");
    }

    @Test
    void mediaInUseByAnUnpublishedPostCannotBeDeleted() {
        String account = tenant.account("x", "media user");
        String media = (String) data(upload(MEDIA, "p.png", png(3, 3), "image/png")).get("id");
        Response post = tenant.as(key).contentType(ContentType.JSON)
                .body(Map.of("content", "with picture", "account_ids", List.of(account), "media_ids", List.of(media))).post(POSTS);
        assertEquals(201, post.statusCode(), post.asString());
        String postId = (String) data(post).get("id");

        error(tenant.as(key).delete(MEDIA + "/" + media), 409, "CONFLICT");
        assertEquals(200, tenant.as(key).delete(POSTS + "/" + postId).statusCode());
        Response deleted = tenant.as(key).delete(MEDIA + "/" + media);
        assertEquals(200, deleted.statusCode(), deleted.asString());
        assertEquals(media, data(deleted).get("id"));
        error(tenant.as(key).get(MEDIA + "/" + media), 404, "NOT_FOUND");
        error(tenant.as(key).get(MEDIA + "/" + media + "/content"), 404, "NOT_FOUND");
    }

    /** Uploads stream to storage in bounded pieces; the bytes come back exactly, however many pieces they took. */
    @Test
    void aLargeUploadIsStoredInBoundedPiecesAndComesBackExactly() throws Exception {
        byte[] bytes = Arrays.copyOf(png(4, 4), 3 * 1024 * 1024 + 123);
        new java.util.Random(7).nextBytes(bytes);
        System.arraycopy(png(4, 4), 0, bytes, 0, 16);
        Response response = upload(MEDIA, "large.png", bytes, "image/png");
        assertEquals(201, response.statusCode(), response.asString());
        String id = (String) data(response).get("id");
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), data(response).get("sha256"));
        assertArrayEquals(bytes, tenant.as(key).get(MEDIA + "/" + id + "/content").asByteArray());
        Map<String, Object> pieces = Db.query("select count(*) as pieces, max(octet_length(bytes)) as largest from media_chunks"
                + " where media_id = ?", id).get(0);
        assertTrue(((Number) pieces.get("pieces")).longValue() >= 2, pieces::toString);
        assertTrue(((Number) pieces.get("largest")).longValue() <= 1024 * 1024, pieces::toString);
    }

    /**
     * A download says its length (it is streamed, yet the size is known), so a client can show progress
     * and tell a download cut short from a whole one; a HEAD says what the download would, reading none
     * of the bytes (so taking no download slot): it is answered from the file's record, even once the
     * bytes are gone, where the download itself is 404.
     */
    @Test
    void aDownloadSaysItsLengthAndItsHeadReadsNoByte() {
        byte[] bytes = Arrays.copyOf(png(4, 4), 2 * 1024 * 1024 + 77);
        String id = (String) data(upload(MEDIA, "long.png", bytes, "image/png")).get("id");
        String content = MEDIA + "/" + id + "/content";

        Response download = tenant.as(key).get(content);
        assertEquals(200, download.statusCode());
        assertEquals(String.valueOf(bytes.length), download.header("Content-Length"));
        assertEquals(null, download.header("Transfer-Encoding"));
        assertArrayEquals(bytes, download.asByteArray());

        Db.update("delete from media_chunks where media_id = ?", id);
        Response head = tenant.as(key).head(content);
        assertEquals(200, head.statusCode());
        assertEquals(String.valueOf(bytes.length), head.header("Content-Length"));
        for (String header : List.of("Content-Type", "ETag", "Content-Disposition", "X-Content-Type-Options", "Cache-Control")) {
            assertEquals(download.header(header), head.header(header), header);
        }
        // Kept only by the client, which asks again before using it (a 304 while it is the same); never by a shared cache.
        assertEquals("private, no-cache", download.header("Cache-Control"));
        assertNotNull(head.header("X-RateLimit-Remaining"));
        error(tenant.as(key).get(content), 404, "NOT_FOUND");

        // Every download slot of the workspace taken: a download waits (429), its HEAD does not.
        List<TransferSlots.Slot> taken = new ArrayList<>();
        try {
            for (int i = 0; i < mediaConfig.concurrentDownloadsPerWorkspace(); i++) {
                taken.add(slots.acquire(TransferSlots.Transfer.DOWNLOAD, tenant.workspaceId()));
            }
            error(tenant.as(key).get(MEDIA + "/" + data(upload(MEDIA, "other.png", png(3, 3), "image/png")).get("id") + "/content"),
                    429, "RATE_LIMITED");
            assertEquals(200, tenant.as(key).head(content).statusCode());
            String tag = (String) data(tenant.as(key).get(MEDIA + "/" + id)).get("sha256");
            assertEquals(304, tenant.as(key).header("If-None-Match", "\"" + tag + "\"").get(content).statusCode(),
                    "a download the client already holds takes no slot");
        } finally {
            taken.forEach(TransferSlots.Slot::release);
        }
        assertEquals(404, tenant.as(key).head(MEDIA + "/med_01J0000000000000000000000A/content").statusCode());
    }

    /**
     * An HTTP/1.0 client, which knows no chunked encoding, gets the length too: without it, the
     * end of the body would be known only from the connection closing.
     */
    @Test
    void anHttp10DownloadSaysItsLength() throws Exception {
        byte[] bytes = Arrays.copyOf(png(4, 4), 600 * 1024 + 5);
        String id = (String) data(upload(MEDIA, "old-client.png", bytes, "image/png")).get("id");
        try (java.net.Socket socket = new java.net.Socket("localhost", io.restassured.RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + MEDIA + "/" + id + "/content HTTP/1.0\r\nHost: localhost\r\nAuthorization: "
                    + key.bearer() + "\r\nX-Workspace-Id: " + tenant.workspaceId() + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            byte[] answer = socket.getInputStream().readAllBytes();
            int end = new String(answer, StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n");
            String head = new String(answer, 0, end, StandardCharsets.ISO_8859_1);
            assertTrue(head.startsWith("HTTP/1.0 200"), head);
            assertTrue(head.lines().anyMatch(line -> line.equalsIgnoreCase("Content-Length: " + bytes.length)), head);
            assertFalse(head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding"), head);
            assertArrayEquals(bytes, Arrays.copyOfRange(answer, end + 4, answer.length));
        }
    }

    /**
     * The ETag a download gives works as a conditional request's (RFC 9110): a GET or HEAD whose
     * If-None-Match names it (strong or W/, in a list, or *) is 304 with no body, reading no byte (so
     * it is 304 even once the bytes are gone); any other tag, or a malformed one, gets the file.
     */
    @Test
    void aDownloadNamingTheFilesETagIsNotModified() {
        byte[] bytes = png(6, 6);
        String id = (String) data(upload(MEDIA, "cached.png", bytes, "image/png")).get("id");
        String content = MEDIA + "/" + id + "/content";
        Response first = tenant.as(key).get(content);
        String etag = first.header("ETag");
        assertNotNull(etag);

        for (String ifNoneMatch : List.of(etag, "W/" + etag, "\"other\", " + etag, "*")) {
            Response again = tenant.as(key).header("If-None-Match", ifNoneMatch).get(content);
            assertEquals(304, again.statusCode(), ifNoneMatch);
            assertEquals(0, again.asByteArray().length, ifNoneMatch);
            assertEquals(null, again.header("Transfer-Encoding"), ifNoneMatch);
            assertEquals(null, again.header("Content-Length"), ifNoneMatch);
            assertEquals(etag, again.header("ETag"), ifNoneMatch);
            assertEquals("image/png", again.header("Content-Type"), "a cache updating its copy keeps the file's type");
            assertEquals("private, no-cache", again.header("Cache-Control"), "and keeps the copy");
            assertNotNull(again.header("X-RateLimit-Remaining"), ifNoneMatch);
            assertNotNull(again.header("X-Request-Id"), ifNoneMatch);
        }
        for (String ifNoneMatch : List.of("\"other\"", "W/\"other\"", "garbage", etag.replace("\"", ""), "")) {
            Response sent = tenant.as(key).header("If-None-Match", ifNoneMatch).get(content);
            assertEquals(200, sent.statusCode(), ifNoneMatch);
            assertArrayEquals(bytes, sent.asByteArray(), ifNoneMatch);
        }
        assertEquals(304, tenant.as(key).header("If-None-Match", etag).head(content).statusCode());
        assertEquals(200, tenant.as(key).header("If-None-Match", "\"other\"").head(content).statusCode());

        Db.update("delete from media_chunks where media_id = ?", id);
        assertEquals(304, tenant.as(key).header("If-None-Match", etag).get(content).statusCode(), "no byte is read for a 304");
        error(tenant.as(key).get(content), 404, "NOT_FOUND");
    }

    /**
     * A file whose stored bytes are more than its record says (its size, sent as Content-Length) is
     * not sent: the download fails rather than send bytes past the length it stated. Stored bytes
     * that disagree with their record are a fault on Postgate's side, not the client's: the one
     * answer of this suite that is meant to be 500 INTERNAL (logged with its request id).
     */
    @Test
    void aFileWhoseBytesOutgrowItsRecordIsNotSent() {
        String id = (String) data(upload(MEDIA, "grown.png", png(5, 5), "image/png")).get("id");
        Db.update("update media set size = size - 1 where id = ?", id);
        Response download = tenant.as(key).get(MEDIA + "/" + id + "/content");
        assertEquals(500, download.statusCode(), download.asString());
        assertEquals("INTERNAL", download.jsonPath().getString("error.code"), download.asString());
    }

    /**
     * The Idempotency-Key fingerprint of an upload covers its bytes: the same file replays the first
     * answer, a different file of the same size (or another name) is a conflict, and nothing is stored twice.
     */
    @Test
    void anUploadRepeatedWithTheSameIdempotencyKeyReplaysOnlyTheSameFile() {
        byte[] first = Arrays.copyOf(png(5, 5), 4096);
        byte[] second = first.clone();
        second[4000] ^= 0x55;
        String idempotencyKey = "upload-" + System.nanoTime();
        Response created = tenant.as(key).header("Idempotency-Key", idempotencyKey).multiPart("file", "same.png", first, "image/png")
                .post(MEDIA);
        assertEquals(201, created.statusCode(), created.asString());
        String id = (String) data(created).get("id");

        Response replayed = tenant.as(key).header("Idempotency-Key", idempotencyKey).multiPart("file", "same.png", first, "image/png")
                .post(MEDIA);
        assertEquals(201, replayed.statusCode(), replayed.asString());
        assertEquals("true", replayed.header("Idempotent-Replayed"));
        assertEquals(id, data(replayed).get("id"));
        assertEquals("/api/v1/media/" + id, replayed.header("Location"), "the replay says where the file is, as the first answer did");

        error(tenant.as(key).header("Idempotency-Key", idempotencyKey).multiPart("file", "same.png", second, "image/png").post(MEDIA),
                409, "IDEMPOTENCY_CONFLICT");
        error(tenant.as(key).header("Idempotency-Key", idempotencyKey).multiPart("file", "other.png", first, "image/png").post(MEDIA),
                409, "IDEMPOTENCY_CONFLICT");
        String sha = (String) data(created).get("sha256");
        assertEquals(1, Db.count("select count(*) from media where workspace_id = ? and sha256 = ?", tenant.workspaceId(), sha));
    }

    @Test
    void mediaOfAnotherWorkspaceIsNotFound() {
        String media = (String) data(upload(MEDIA, "p.png", png(3, 3), "image/png")).get("id");
        Api.Tenant other = Api.tenant(0);
        IssuedKey otherKey = other.key("media:read", "media:write");
        error(other.as(otherKey).get(MEDIA + "/" + media), 404, "NOT_FOUND");
        error(other.as(otherKey).get(MEDIA + "/" + media + "/content"), 404, "NOT_FOUND");
        error(other.as(otherKey).delete(MEDIA + "/" + media), 404, "NOT_FOUND");
        assertFalse(list(other.as(otherKey).get(MEDIA)).stream().anyMatch(m -> media.equals(m.get("id"))));
    }
}
