package dev.postgate.keys.leaks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import dev.postgate.common.errors.ApiException;
import dev.postgate.common.testing.MutableClock;

/** GitHub's keys document is read once, and again for an unknown identifier at most every 5 minutes; a failed read is 503. */
class GitHubPublicKeysTest {
    private static final byte[] BODY = "[]".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));

    private static KeyPair pair() throws Exception {
        return pair("secp256r1");
    }

    private static KeyPair pair(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
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
        return keys(document.toString());
    }

    private GitHubPublicKeys keys(String location) {
        LeakConfig.GitHub config = new LeakConfig.GitHub() {
            @Override
            public String keysUrl() {
                return location;
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
            public Duration maxAge() {
                return Duration.ofHours(24);
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

    /**
     * A key GitHub withdraws from its document stops verifying once the keys in hand are a day old
     * (found by review: a known identifier never fetched the document again, so a withdrawn key
     * verified until a restart); while that fetch fails, the keys in hand still verify.
     */
    @Test
    void aKeyGitHubWithdrawsStopsVerifyingOnceTheKeysInHandAreADayOld() throws Exception {
        KeyPair first = pair();
        KeyPair second = pair();
        Path document = dir.resolve("withdrawn.json");
        Files.writeString(document, "{\"public_keys\": [" + entry("one", first) + "]}");
        GitHubPublicKeys keys = keys(document);
        assertTrue(verifies(keys, "one", sign(first)));

        Files.writeString(document, "not json");
        clock.advance(Duration.ofHours(24));
        assertTrue(verifies(keys, "one", sign(first)), "a day old, the document unreadable: the key in hand still verifies");

        Files.writeString(document, "{\"public_keys\": [" + entry("two", second) + "]}");
        clock.advance(Duration.ofMinutes(4));
        assertTrue(verifies(keys, "one", sign(first)), "no second fetch within 5 minutes");
        clock.advance(Duration.ofMinutes(1));
        assertFalse(verifies(keys, "one", sign(first)), "withdrawn from the document read again");
        assertTrue(verifies(keys, "two", sign(second)));
    }

    /** SPEC section 10: GitHub signs with ECDSA P-256; a key of the document on another curve is not used. */
    @Test
    void onlyP256KeysAreGitHubs() throws Exception {
        KeyPair p384 = pair("secp384r1");
        KeyPair p256 = pair();
        Path document = dir.resolve("curves.json");
        Files.writeString(document, "{\"public_keys\": [" + entry("p384", p384) + ", " + entry("p256", p256) + "]}");
        GitHubPublicKeys keys = keys(document);
        assertTrue(verifies(keys, "p256", sign(p256)));
        assertFalse(verifies(keys, "p384", sign(p384)), "a P-384 key is skipped");
    }

    /**
     * SPEC section 4: a dependency that is down is 503, not a verdict. An unreadable document
     * does not make a report's signature bad: nobody knows, so the report is 503 (GitHub sends it
     * again), nothing is verified, and the document is fetched again after refetch-interval.
     */
    @Test
    void anUnreadableDocumentIs503AndVerifiesNothing() throws Exception {
        Path document = dir.resolve("broken.json");
        Files.writeString(document, "not json");
        KeyPair pair = pair();
        GitHubPublicKeys keys = keys(document);
        ApiException down = unavailable(keys, "one", sign(pair));
        assertEquals("300", down.headers().get("Retry-After"), "until the next fetch");
        clock.advance(Duration.ofMinutes(1));
        assertEquals("240", unavailable(keys, "one", sign(pair)).headers().get("Retry-After"), "no fetch within 5 minutes");
        Files.writeString(document, "{\"public_keys\": [" + entry("one", pair) + "]}");
        clock.advance(Duration.ofMinutes(4));
        assertTrue(verifies(keys, "one", sign(pair)), "readable again once 5 minutes have passed");
        assertFalse(verifies(keys, "two", sign(pair)), "then an unknown identifier is unknown: 401, not 503");

        unavailable(keys(dir.resolve("missing.json")), "one", sign(pair));
        assertEquals(0, Files.list(dir).filter(p -> p.getFileName().toString().startsWith("missing")).count());
    }

    /**
     * The fetch is bounded as a whole: a server that sends its headers and then stalls the body,
     * or sends a document too large to be GitHub's, is a failed fetch (503), not a hang.
     */
    @Test
    void aStalledOrOversizedDocumentIsAFailedFetch() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        CountDownLatch release = new CountDownLatch(1);
        server.createContext("/stalled", exchange -> {
            exchange.sendResponseHeaders(200, 100);
            exchange.getResponseBody().write("{\"public_keys\": [".getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        KeyPair pair = pair();
        // A valid document padded to the bound, and one byte past it (with and without a Content-Length).
        String valid = "{\"public_keys\": [" + entry("one", pair) + "], \"padding\": \"";
        byte[] atBound = padded(valid, GitHubPublicKeys.MAX_DOCUMENT_BYTES);
        byte[] overBound = padded(valid, GitHubPublicKeys.MAX_DOCUMENT_BYTES + 1);
        server.createContext("/at-bound", exchange -> {
            exchange.sendResponseHeaders(200, atBound.length);
            exchange.getResponseBody().write(atBound);
            exchange.close();
        });
        server.createContext("/large", exchange -> {
            exchange.sendResponseHeaders(200, overBound.length);
            exchange.getResponseBody().write(overBound);
            exchange.close();
        });
        server.createContext("/large-chunked", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write(overBound);
            exchange.close();
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            unavailable(keys(base + "/stalled"), "one", sign(pair));
            assertTrue(verifies(keys(base + "/at-bound"), "one", sign(pair)), "a document of exactly the bound is read");
            unavailable(keys(base + "/large"), "one", sign(pair));
            unavailable(keys(base + "/large-chunked"), "one", sign(pair));
        } finally {
            release.countDown();
            server.stop(0);
        }
    }

    /** {@code start}, then spaces, then {@code "}}: a valid JSON document of exactly {@code size} bytes. */
    private static byte[] padded(String start, int size) {
        byte[] head = start.getBytes(StandardCharsets.UTF_8);
        byte[] document = new byte[size];
        Arrays.fill(document, (byte) ' ');
        System.arraycopy(head, 0, document, 0, head.length);
        document[size - 2] = '"';
        document[size - 1] = '}';
        return document;
    }

    private ApiException unavailable(GitHubPublicKeys keys, String id, String signature) {
        ApiException down = assertThrows(ApiException.class, () -> verifies(keys, id, signature));
        assertEquals(503, down.status());
        assertEquals("UNAVAILABLE", down.code());
        return down;
    }
}
