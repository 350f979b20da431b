package dev.postgate.common.hash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.junit.jupiter.api.Test;

class Sha256Test {
    /** FIPS 180-2, appendix B.1. */
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void oneShotAndPieceByPieceGiveTheStandardDigest() {
        assertEquals(ABC, Sha256.hex("abc"));
        assertEquals(ABC, Sha256.hex("abc".getBytes(StandardCharsets.US_ASCII)));
        MessageDigest pieces = Sha256.newDigest();
        pieces.update("a".getBytes(StandardCharsets.US_ASCII));
        pieces.update("bc".getBytes(StandardCharsets.US_ASCII));
        assertEquals(ABC, Sha256.finish(pieces));
    }

    @Test
    void theThreadsDigestStartsAfreshOnEveryCall() {
        byte[] first = Sha256.of("abc");
        Sha256.of("something else");
        assertArrayEquals(first, Sha256.of("abc"));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Sha256.hex(new byte[0]));
        assertEquals(Sha256.hex(new byte[0]), Sha256.hex((byte[]) null));
    }

    @Test
    void textIsHashedAsUtf8() {
        assertEquals(Sha256.hex("é".getBytes(StandardCharsets.UTF_8)), Sha256.hex("é"));
    }
}
