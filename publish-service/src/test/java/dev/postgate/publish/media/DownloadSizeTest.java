package dev.postgate.publish.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Multi;

/**
 * A download says the file's recorded size as its Content-Length before its bytes, so whatever the
 * storage, pieces that hold more or fewer bytes than that fail the download instead of sending other
 * bytes than it said.
 */
class DownloadSizeTest {
    private static Media file(long size) {
        Media file = new Media();
        file.id = "med_01J0000000000000000000000A";
        file.size = size;
        return file;
    }

    private static List<byte[]> read(long size, byte[]... pieces) {
        return MediaService.ofSize(file(size), Multi.createFrom().items(pieces)).collect().asList().await().indefinitely();
    }

    @Test
    void piecesHoldingTheRecordedSizeAreSentAsTheyCome() {
        assertEquals(2, read(5, new byte[3], new byte[2]).size());
        assertEquals(0, read(0).size());
    }

    @Test
    void piecesHoldingMoreThanTheRecordedSizeFailRatherThanSendMore() {
        assertThrows(IllegalStateException.class, () -> read(4, new byte[3], new byte[2]));
    }

    @Test
    void piecesEndingShortOfTheRecordedSizeFailRatherThanEndAsIfWhole() {
        assertThrows(IllegalStateException.class, () -> read(6, new byte[3], new byte[2]));
    }
}
