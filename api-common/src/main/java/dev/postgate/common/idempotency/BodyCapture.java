package dev.postgate.common.idempotency;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/**
 * The SHA-256 of a request body for the idempotency fingerprint. {@code HttpEdge} reads the
 * body of POSTs that carry an Idempotency-Key into the routing context (the REST layer then
 * reads it from there), so the hash covers exactly the bytes the resource receives.
 */
public final class BodyCapture {
    private BodyCapture() {
    }

    public static String sha256(RoutingContext rc) {
        Buffer body = rc.body() == null ? null : rc.body().buffer();
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            if (body != null) {
                digest.update(body.getBytes());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
