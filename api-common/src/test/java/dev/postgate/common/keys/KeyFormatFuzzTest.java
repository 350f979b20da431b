package dev.postgate.common.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the API-key check of SPEC section 2 ({@link KeyFormat#isWellFormed}), the first thing
 * done with any credential a client sends: whatever the text, the answer is true or false, never
 * an exception; a key it accepts has exactly the SPEC shape (the secret-scanning regex), is made
 * again character for character from its mode and random part, and is refused once any one of its
 * characters changes. The second target appends the right checksum to the text, so the fuzzer
 * also explores what passes the checksum. Without {@code JAZZER_FUZZ} it runs the committed inputs
 * ({@code KeyFormatFuzzTestInputs}); bench/README.md tells how to fuzz longer.
 */
class KeyFormatFuzzTest {
    static final String BRAND = "pp";
    static final Pattern SPEC_SHAPE = Pattern.compile("pp_(live|test)_sk_[0-9A-Za-z]{38}");
    /** Replacements for the one-character changes: every base62 digit, and what the shape forbids. */
    static final String REPLACEMENTS = KeyFormat.ALPHABET + "_-+/= é\u0000";

    @FuzzTest(maxDuration = "10s")
    void anyTextIsAcceptedOnlyAsAKeyOfTheSpecShape(byte[] input) {
        checkAnswer(new String(input, StandardCharsets.UTF_8));
    }

    @FuzzTest(maxDuration = "10s")
    void anyTextWithItsChecksumIsAcceptedOnlyAsAKeyOfTheSpecShape(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        checkAnswer(text + KeyFormat.checksum(text));
    }

    static void checkAnswer(String key) {
        if (!KeyFormat.isWellFormed(key, BRAND)) {
            return;
        }
        assertTrue(SPEC_SHAPE.matcher(key).matches(), key);
        String prefix = KeyFormat.prefix(BRAND, KeyFormat.modeOf(key, BRAND));
        String random = key.substring(prefix.length(), prefix.length() + KeyFormat.RANDOM_LENGTH);
        assertEquals(key, prefix + random + KeyFormat.checksum(prefix + random));
        for (int i = 0; i < key.length(); i++) {
            for (char replacement : REPLACEMENTS.toCharArray()) {
                if (replacement != key.charAt(i)) {
                    String typo = key.substring(0, i) + replacement + key.substring(i + 1);
                    assertFalse(KeyFormat.isWellFormed(typo, BRAND), typo);
                }
            }
        }
    }
}
