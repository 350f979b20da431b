package dev.postgate.publish.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Random;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.postgate.common.api.Ids;
import dev.postgate.common.errors.NotFoundException;
import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.TestDatabase;
import dev.postgate.common.testing.WorkspaceServiceResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/**
 * Files are kept in the database in pieces of {@code chunk-bytes}, cut one way whether they arrive
 * as an upload (streamed, in pieces of any size) or are stored whole (generated images and videos,
 * in the caller's transaction).
 */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WorkspaceServiceResource.class, scope = TestResourceScope.GLOBAL)
class DatabaseMediaStorageTest {
    private static final TestDatabase DB = TestDatabase.schema("publish_service");

    @Inject
    DatabaseMediaStorage storage;

    @Inject
    MediaConfig config;

    private byte[] file() {
        byte[] bytes = new byte[2 * config.chunkBytes() + 1000];
        new Random(7).nextBytes(bytes);
        return bytes;
    }

    private List<Map<String, Object>> chunks(String mediaId) {
        return DB.query("select seq, length(bytes) as size from media_chunks where media_id = ? order by seq", mediaId);
    }

    private void assertCut(String mediaId) {
        List<Map<String, Object>> chunks = chunks(mediaId);
        assertEquals(3, chunks.size(), chunks::toString);
        for (int i = 0; i < 3; i++) {
            assertEquals(i, ((Number) chunks.get(i).get("seq")).intValue());
        }
        assertEquals(config.chunkBytes(), ((Number) chunks.get(0).get("size")).intValue());
        assertEquals(config.chunkBytes(), ((Number) chunks.get(1).get("size")).intValue());
        assertEquals(1000, ((Number) chunks.get(2).get("size")).intValue());
    }

    @Test
    void aFileStoredWholeIsCutIntoChunksAndReadBackWhole() throws Throwable {
        byte[] bytes = file();
        String id = Ids.newId("med");
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> storage.store(id, bytes)));
        assertCut(id);
        assertArrayEquals(bytes, readWhole(id, bytes.length));
    }

    @Test
    void anUploadIsCutTheSameWayWhateverPiecesItArrivesIn() throws Throwable {
        byte[] bytes = file();
        String id = Ids.newId("med");
        MediaStorage.Writer writer = storage.begin(id);
        int offset = 0;
        int piece = 7;
        while (offset < bytes.length) {
            int take = Math.min(piece, bytes.length - offset);
            byte[] part = java.util.Arrays.copyOfRange(bytes, offset, offset + take);
            VertxContextSupport.subscribeAndAwait(() -> writer.write(part));
            offset += take;
            piece = piece * 3 + 1;
        }
        VertxContextSupport.subscribeAndAwait(writer::finish);
        assertCut(id);
        assertArrayEquals(bytes, readWhole(id, bytes.length));
    }

    /**
     * A file whose pieces go while it is read (deleted during a download) fails at the first piece
     * missing, rather than end early as if it were whole: the client sees its download cut off.
     */
    @Test
    void aFileWhosePiecesGoWhileItIsReadFailsRatherThanEndsEarly() throws Throwable {
        byte[] bytes = file();
        String id = Ids.newId("med");
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> storage.store(id, bytes)));
        DB.update("delete from media_chunks where media_id = ? and seq >= 1", id);
        NotFoundException gone = assertThrows(NotFoundException.class, () -> readWhole(id, bytes.length));
        assertEquals("NOT_FOUND", gone.code());
    }

    /** The file as a download reads it, piece by piece. */
    private byte[] readWhole(String id, long size) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> storage.read(id, size)
                .collect().in(ByteArrayOutputStream::new, (whole, piece) -> whole.write(piece, 0, piece.length))
                .map(ByteArrayOutputStream::toByteArray));
    }
}
