package dev.postgate.keys.leaks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.postgate.common.testing.MutableClock;

/** GitHub's keys document is read once, and again for an unknown identifier at most every 5 minutes. */
class GitHubPublicKeysTest {
    private static final byte[] BODY = "[]".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));

    private static KeyPair pair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static String sign(KeyPair pair) throws Exception {
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(pair.getPrivate());
        signer.update(BODY);
        return Base64.getEncoder().encodeToString(signer.sign());
    }

    private static String entry(String id, KeyPair pair) {
        String pem = "-----BEGIN PUBLIC KEY-----\\n" + Base64.getEncoder().encodeToString(pair.getPublic().getEncoded())
                + "\\n-----END PUBLIC KEY-----\\n";
        return "{\"key_identifier\": \"" + id + "\", \"key\": \"" + pem + "\", \"is_current\": true}";
    }

    private GitHubPublicKeys keys(Path document) {
        LeakConfig.GitHub config = new LeakConfig.GitHub() {
            @Override
            public String keysUrl() {
                return document.toString();
            }

            @Override
            public Duration refetchInterval() {
                return Duration.ofMinutes(5);
            }

            @Override
            public Duration fetchTimeout() {
                return Duration.ofSeconds(1);
            }

            @Override
            public int perAddressPerMinute() {
                return 60;
            }
        };
        return new GitHubPublicKeys(config, new ObjectMapper(), clock);
    }

    private static boolean verifies(GitHubPublicKeys keys, String id, String signature) {
        return keys.verifies(id, signature, BODY).await().atMost(Duration.ofSeconds(5));
    }

    @Test
    void anUnknownIdentifierFetchesTheDocumentAgainAtMostEveryFiveMinutes() throws Exception {
        KeyPair first = pair();
        KeyPair second = pair();
        Path document = dir.resolve("keys.json");
        Files.writeString(document, "{\"public_keys\": [" + entry("one", first) + "]}");
        GitHubPublicKeys keys = keys(document);

        assertTrue(verifies(keys, "one", sign(first)));
        assertFalse(verifies(keys, "one", sign(second)), "another key's signature");
        assertFalse(verifies(keys, "two", sign(second)), "not published yet");

        // GitHub rotates: the new key is published, but a fetch was made less than 5 minutes ago.
        Files.writeString(document, "{\"public_keys\": [" + entry("one", first) + ", " + entry("two", second) + "]}");
        clock.advance(Duration.ofMinutes(4));
        assertFalse(verifies(keys, "two", sign(second)), "no second fetch within 5 minutes");
        clock.advance(Duration.ofMinutes(1));
        assertTrue(verifies(keys, "two", sign(second)), "fetched again once 5 minutes have passed");
        assertTrue(verifies(keys, "one", sign(first)));
    }

    @Test
    void anUnreadableDocumentVerifiesNothing() throws Exception {
        Path document = dir.resolve("broken.json");
        Files.writeString(document, "not json");
        assertFalse(verifies(keys(document), "one", sign(pair())));
        assertFalse(verifies(keys(dir.resolve("missing.json")), "one", sign(pair())));
        assertEquals(0, Files.list(dir).filter(p -> p.getFileName().toString().startsWith("missing")).count());
    }
}
