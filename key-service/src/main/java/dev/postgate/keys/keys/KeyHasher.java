package dev.postgate.keys.keys;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** HMAC-SHA256(pepper, key), hex: the only form in which a key is stored or looked up. */
@ApplicationScoped
public class KeyHasher {
    private final SecretKeySpec pepper;

    @Inject
    public KeyHasher(KeysConfig config) {
        if (config.pepper().length() < 16) {
            throw new IllegalStateException("postgate.keys.pepper must be at least 16 characters");
        }
        this.pepper = new SecretKeySpec(config.pepper().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    public String hash(String key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(pepper);
            return HexFormat.of().formatHex(mac.doFinal(key.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
