package dev.postgate.common.hash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, the one digest the services use: keys' cache entries and GitHub's feedback (never the
 * key itself), idempotency fingerprints, media checksums and the sandbox's stable draws. Text is
 * hashed as UTF-8. One digest per thread serves the one-shot calls (the key check runs on every
 * request); {@link #newDigest()} is for bytes that arrive in pieces.
 */
public final class Sha256 {
    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(Sha256::newDigest);

    private Sha256() {
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256.
            throw new IllegalStateException(e);
        }
    }

    public static byte[] of(byte[] bytes) {
        return DIGEST.get().digest(bytes);
    }

    public static byte[] of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Lower-case hex, 64 characters; no bytes (null) hash as empty. */
    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes == null ? DIGEST.get().digest() : of(bytes));
    }

    public static String hex(String text) {
        return hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Ends a digest fed piece by piece: its hex. */
    public static String finish(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }
}
