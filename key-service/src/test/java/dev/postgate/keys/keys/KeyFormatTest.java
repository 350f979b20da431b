package dev.postgate.keys.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.postgate.common.keys.KeyFormat;
import dev.postgate.common.keys.KeyMode;

/** SPEC section 2: {@code {brand}_{mode}_sk_{32 random base62}{6 base62 of CRC-32}}. */
class KeyFormatTest {
    private static final String LIVE_VECTOR = "pp_live_sk_0123456789ABCDEFGHIJKLMNOPQRSTUV2zXgei";
    private static final String TEST_VECTOR = "pp_test_sk_abcdefghijklmnopqrstuvwxyz01234546IzH5";
    private static final Pattern SECRET_SCANNING = Pattern.compile("pp_(live|test)_sk_[0-9A-Za-z]{38}");

    @Test
    void specTestVectorsAreWellFormed() {
        assertTrue(KeyFormat.isWellFormed(LIVE_VECTOR, "pp"));
        assertTrue(KeyFormat.isWellFormed(TEST_VECTOR, "pp"));
        assertEquals(KeyMode.LIVE, KeyFormat.modeOf(LIVE_VECTOR, "pp"));
        assertEquals(KeyMode.TEST, KeyFormat.modeOf(TEST_VECTOR, "pp"));
    }

    @Test
    void anyOneCharacterTypoInTheBodyFailsTheChecksum() {
        for (String vector : new String[] { LIVE_VECTOR, TEST_VECTOR }) {
            int bodyStart = "pp_live_sk_".length();
            for (int i = bodyStart; i < vector.length(); i++) {
                for (char replacement : new char[] { '0', 'Z', 'z', 'q' }) {
                    if (vector.charAt(i) == replacement) {
                        continue;
                    }
                    String typo = vector.substring(0, i) + replacement + vector.substring(i + 1);
                    assertFalse(KeyFormat.isWellFormed(typo, "pp"), typo);
                }
            }
        }
    }

    @Test
    void swappedNeighboursFailTheChecksum() {
        String body = LIVE_VECTOR;
        for (int i = 11; i < body.length() - 1; i++) {
            if (body.charAt(i) == body.charAt(i + 1)) {
                continue;
            }
            String swapped = body.substring(0, i) + body.charAt(i + 1) + body.charAt(i) + body.substring(i + 2);
            assertFalse(KeyFormat.isWellFormed(swapped, "pp"), swapped);
        }
    }

    @Test
    void wrongShapesAreNotWellFormed() {
        assertFalse(KeyFormat.isWellFormed(null, "pp"));
        assertFalse(KeyFormat.isWellFormed("", "pp"));
        assertFalse(KeyFormat.isWellFormed(LIVE_VECTOR.substring(0, LIVE_VECTOR.length() - 1), "pp"), "too short");
        assertFalse(KeyFormat.isWellFormed(LIVE_VECTOR + "0", "pp"), "too long");
        assertFalse(KeyFormat.isWellFormed(LIVE_VECTOR.replace("pp_", "xx_"), "pp"), "other brand");
        assertFalse(KeyFormat.isWellFormed(LIVE_VECTOR.replace("_live_", "_prod_"), "pp"), "unknown mode");
        assertFalse(KeyFormat.isWellFormed(LIVE_VECTOR.replace("_sk_", "_pk_"), "pp"), "not a secret key");
        assertFalse(KeyFormat.isWellFormed(LIVE_VECTOR.replace("_live_", "_test_"), "pp"), "mode is covered by the checksum");
        assertFalse(KeyFormat.isWellFormed(LIVE_VECTOR.substring(0, 20) + "-" + LIVE_VECTOR.substring(21), "pp"), "not base62");
        assertFalse(KeyFormat.isWellFormed(LIVE_VECTOR.toLowerCase(), "pp"), "case matters");
    }

    @Test
    void generatedKeysMatchTheSecretScanningRegexAndAreWellFormed() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            KeyMode mode = i % 2 == 0 ? KeyMode.LIVE : KeyMode.TEST;
            String key = KeyFormat.generate("pp", mode);
            assertTrue(SECRET_SCANNING.matcher(key).matches(), key);
            assertTrue(key.startsWith("pp_" + mode.wire() + "_sk_"), key);
            assertTrue(KeyFormat.isWellFormed(key, "pp"), key);
            assertEquals(mode, KeyFormat.modeOf(key, "pp"));
            assertTrue(seen.add(key), "keys repeat");
        }
    }

    @Test
    void anotherBrandIsHonoured() {
        String key = KeyFormat.generate("acme", KeyMode.LIVE);
        assertTrue(key.startsWith("acme_live_sk_"), key);
        assertTrue(KeyFormat.isWellFormed(key, "acme"));
        assertFalse(KeyFormat.isWellFormed(key, "pp"));
    }

    @Test
    void displayHintsAreTheFirst14AndLast4Characters() {
        assertEquals("pp_live_sk_012", KeyFormat.start(LIVE_VECTOR));
        assertEquals("Xgei", KeyFormat.last4(LIVE_VECTOR));
        assertNotEquals(KeyFormat.start(LIVE_VECTOR), KeyFormat.start(TEST_VECTOR));
    }
}
