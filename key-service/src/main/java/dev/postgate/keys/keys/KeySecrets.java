package dev.postgate.keys.keys;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.postgate.common.keys.KeyBrandConfig;
import dev.postgate.common.keys.KeyFormat;
import dev.postgate.common.keys.KeyMode;

/**
 * A key's secret as key-service handles it: minted in this deployment's brand, recognised by
 * format and checksum before any lookup, and stored or looked up only as HMAC-SHA256(pepper,
 * secret), hex.
 */
@ApplicationScoped
public class KeySecrets {
    private final String brand;
    private final SecretKeySpec pepper;

    @Inject
    public KeySecrets(KeyBrandConfig format, KeysConfig config) {
        if (config.pepper().length() < 16) {
            throw new IllegalStateException("postgate.keys.pepper must be at least 16 characters");
        }
        this.brand = format.brand();
        this.pepper = new SecretKeySpec(config.pepper().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** A new secret of this brand and mode; it is shown once and then kept only as its {@link #hash}. */
    public String mint(KeyMode mode) {
        return KeyFormat.generate(brand, mode);
    }

    /** Whether the string is a key of this brand with a valid checksum (no lookup is worth making otherwise). */
    public boolean isWellFormed(String secret) {
        return KeyFormat.isWellFormed(secret, brand);
    }

    public String hash(String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(pepper);
            return HexFormat.of().formatHex(mac.doFinal(secret.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
