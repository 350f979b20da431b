package dev.postgate.common.idempotency;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a request body for the idempotency fingerprint. {@link dev.postgate.common.http.RequestBodies}
 * reads a body once its credential has passed and keeps its bytes in the routing context (the
 * REST layer reads the same bytes), so the hash covers exactly what the resource receives.
 * Streamed uploads hash their bytes as they arrive instead.
 */
public final class BodyCapture {
    private BodyCapture() {
    }

    public static String sha256(byte[] body) {
        MessageDigest digest = newDigest();
        if (body != null) {
            digest.update(body);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
