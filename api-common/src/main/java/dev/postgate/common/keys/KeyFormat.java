package dev.postgate.common.keys;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.zip.CRC32;

import dev.postgate.common.wire.WireNames;

/**
 * The API-key format of SPEC section 2: {@code {brand}_{mode}_sk_{body}}, the body being 32
 * random base62 characters then 6 base62 characters of the CRC-32 (IEEE) of everything before
 * them. The checksum lets any service reject a mistyped key without a lookup.
 */
public final class KeyFormat {
    public static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    public static final int RANDOM_LENGTH = 32;
    public static final int CHECKSUM_LENGTH = 6;
    /** What follows the mode in every key: the mark secret scanners look for. */
    static final String SECRET_MARK = "_sk_";
    private static final List<KeyMode> MODES = List.of(KeyMode.values());
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final boolean[] BASE62 = new boolean[128];

    static {
        for (char c : ALPHABET.toCharArray()) {
            BASE62[c] = true;
        }
    }

    private KeyFormat() {
    }

    public static String generate(String brand, KeyMode mode) {
        StringBuilder key = new StringBuilder(prefix(brand, mode));
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            key.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return key.append(checksum(key)).toString();
    }

    public static String prefix(String brand, KeyMode mode) {
        return brand + "_" + mode.wire() + SECRET_MARK;
    }

    /** The regular expression a secret scanner finds this deployment's keys with (the dashboard shows it). */
    public static String scanningPattern(String brand) {
        return brand + "_(" + modes() + ")" + SECRET_MARK + "[0-9A-Za-z]{" + (RANDOM_LENGTH + CHECKSUM_LENGTH) + "}";
    }

    /** The key modes as alternatives of a regular expression: {@code live|test}. */
    static String modes() {
        return String.join("|", WireNames.wires(KeyMode.class));
    }

    /** True when the value starts like one of this deployment's keys (it may still be malformed). */
    public static boolean looksLikeKey(String value, String brand) {
        if (value == null) {
            return false;
        }
        for (KeyMode mode : MODES) {
            if (value.startsWith(prefix(brand, mode))) {
                return true;
            }
        }
        return false;
    }

    /** Format and checksum both right. */
    public static boolean isWellFormed(String key, String brand) {
        if (!looksLikeKey(key, brand)) {
            return false;
        }
        // The body starts right after the prefix, so every character after it must be base62 ('_' is not).
        int bodyStart = prefix(brand, modeOf(key, brand)).length();
        if (key.length() - bodyStart != RANDOM_LENGTH + CHECKSUM_LENGTH) {
            return false;
        }
        for (int i = bodyStart; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c >= BASE62.length || !BASE62[c]) {
                return false;
            }
        }
        int checksumStart = key.length() - CHECKSUM_LENGTH;
        return checksum(key.substring(0, checksumStart)).equals(key.substring(checksumStart));
    }

    public static KeyMode modeOf(String key, String brand) {
        return key.startsWith(prefix(brand, KeyMode.TEST)) ? KeyMode.TEST : KeyMode.LIVE;
    }

    /** Base62 of the CRC-32 of the text, most significant digit first, zero-padded to 6. */
    static String checksum(CharSequence text) {
        CRC32 crc = new CRC32();
        crc.update(text.toString().getBytes(StandardCharsets.US_ASCII));
        long value = crc.getValue();
        char[] digits = new char[CHECKSUM_LENGTH];
        for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
            digits[i] = ALPHABET.charAt((int) (value % 62));
            value /= 62;
        }
        return new String(digits);
    }

    /** The display hint kept with a key: its first 14 characters. */
    public static String start(String key) {
        return key.substring(0, Math.min(14, key.length()));
    }

    public static String last4(String key) {
        return key.substring(key.length() - 4);
    }
}
