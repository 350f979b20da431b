package dev.postgate.common.api;

import java.security.SecureRandom;

/**
 * Opaque, type-prefixed ids ({@code key_01J…}): the prefix names the type, the suffix is a ULID
 * (48-bit millisecond time, 80 random bits, Crockford base32), so ids sort by creation time
 * and cursors can page on the id alone.
 */
public final class Ids {
    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private static long lastMillis;
    private static final byte[] lastRandom = new byte[10];

    // The type prefixes of SPEC section 1, and those of rows only a service reads.
    public static final String KEY = "key";
    public static final String WORKSPACE = "ws";
    public static final String ACCOUNT = "acct";
    public static final String POST = "post";
    public static final String MEDIA = "med";
    public static final String GENERATION = "gen";
    public static final String CALENDAR_ENTRY = "cal";
    public static final String LEDGER_ENTRY = "led";
    public static final String EVENT = "evt";
    public static final String REQUEST = "req";
    public static final String AUDIT_ENTRY = "aud";
    public static final String LEAK_REPORT = "lrp";
    public static final String POST_TARGET = "tgt";
    public static final String RESERVATION = "res";

    /**
     * What a well-formed id has after its prefix, as a pattern ({@code @Pattern(regexp = Ids.ACCOUNT + Ids.SUFFIX)}):
     * an underscore and 1 to 64 letters or digits (SPEC section 5), so that another service's id is
     * checked for its shape without being read as ours.
     */
    public static final String SUFFIX = "_[0-9A-Za-z]{1,64}";

    private Ids() {
    }

    public static String newId(String prefix) {
        return prefix + "_" + ulid();
    }

    /** A ULID; within one millisecond the random part increments, so ids from one JVM stay ordered. */
    public static synchronized String ulid() {
        long now = System.currentTimeMillis();
        if (now == lastMillis) {
            increment(lastRandom);
        } else {
            lastMillis = now;
            RANDOM.nextBytes(lastRandom);
        }
        char[] out = new char[26];
        long time = now;
        for (int i = 9; i >= 0; i--) {
            out[i] = CROCKFORD[(int) (time & 31)];
            time >>>= 5;
        }
        // 80 random bits -> 16 characters of 5 bits.
        int bitBuffer = 0;
        int bits = 0;
        int pos = 10;
        for (byte b : lastRandom) {
            bitBuffer = (bitBuffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                bits -= 5;
                out[pos++] = CROCKFORD[(bitBuffer >>> bits) & 31];
            }
        }
        return new String(out);
    }

    private static void increment(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (++bytes[i] != 0) {
                return;
            }
        }
    }

    /** True when {@code id} has the form {@code prefix_} followed by a ULID. */
    public static boolean looksLike(String prefix, String id) {
        if (id == null || id.length() != prefix.length() + 27 || !id.startsWith(prefix + "_")) {
            return false;
        }
        for (int i = prefix.length() + 1; i < id.length(); i++) {
            if (indexOf(id.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * True for a workspace id as workspace-service makes them ({@code ws_} and a ULID): an
     * {@code X-Workspace-Id} of any other form is refused before it is looked up or put in a URL.
     */
    public static boolean isWorkspaceId(String id) {
        return looksLike(WORKSPACE, id);
    }

    private static int indexOf(char c) {
        for (int i = 0; i < CROCKFORD.length; i++) {
            if (CROCKFORD[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
