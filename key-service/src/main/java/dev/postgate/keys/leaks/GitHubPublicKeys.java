package dev.postgate.keys.leaks;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.postgate.common.errors.RetryAfter;
import dev.postgate.common.errors.SimpleErrors;
import dev.postgate.common.http.PublishedDocuments;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * GitHub's secret-scanning public keys (ECDSA P-256), from a document in GitHub's format
 * ({@code {"public_keys": [{"key_identifier", "key", "is_current"}]}}) at
 * {@code postgate.secret-scanning.github.keys-url}. Kept in memory for {@code max-age}; an
 * identifier not in it, or a report after that age, fetches the document again, at most once per
 * {@code refetch-interval}, so unsigned noise cannot make this service hammer GitHub.
 */
@ApplicationScoped
public class GitHubPublicKeys {
    private static final Logger LOG = Logger.getLogger(GitHubPublicKeys.class);
    /** GitHub's document is a few kilobytes. */
    static final int MAX_DOCUMENT_BYTES = 1 << 20;

    private final LeakConfig.GitHub config;
    private final ObjectMapper mapper;
    private final Clock clock;
    private volatile Map<String, PublicKey> keys = Map.of();
    private Instant lastFetch;
    /** When {@link #keys} was read (the last fetch that succeeded). */
    private volatile Instant readAt;
    /** Whether the last fetch failed: an unknown identifier is then not known to be unknown. */
    private boolean unreadable;

    @Inject
    public GitHubPublicKeys(LeakConfig config, ObjectMapper mapper) {
        this(config.github(), mapper, Clock.systemUTC());
    }

    GitHubPublicKeys(LeakConfig.GitHub config, ObjectMapper mapper, Clock clock) {
        this.config = config;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** True when {@code signature} (base64 of DER ECDSA) signs {@code body} with the key named {@code identifier}. */
    public Uni<Boolean> verifies(String identifier, String signature, byte[] body) {
        PublicKey known = keys.get(identifier);
        if (known != null && !tooOld(clock.instant())) {
            return Uni.createFrom().item(verify(known, signature, body));
        }
        // Reading a URL or a file blocks: a worker thread does it, and the answer comes back on the
        // request's context (executeBlocking completes there), where the database session lives.
        Context context = Vertx.currentContext();
        if (context == null) {
            return Uni.createFrom().item(() -> verifiesAfterFetch(identifier, signature, body));
        }
        return Uni.createFrom().completionStage(() -> context
                .executeBlocking(() -> verifiesAfterFetch(identifier, signature, body), false).toCompletionStage());
    }

    private boolean verifiesAfterFetch(String identifier, String signature, byte[] body) {
        PublicKey key = fetchedKey(identifier);
        return key != null && verify(key, signature, body);
    }

    private boolean tooOld(Instant now) {
        return readAt == null || !now.isBefore(readAt.plus(config.maxAge()));
    }

    /**
     * The key of {@code identifier}, fetching the document again when it is unknown or the keys in
     * hand are {@code max-age} old, and the last fetch is {@code refetch-interval} old. Null when
     * GitHub has no such key; 503 UNAVAILABLE when the document could not be read and the key is
     * not in hand, since then nobody knows (SPEC section 4: a dependency is down), with Retry-After
     * until the next fetch. A key in hand still verifies while a fetch fails.
     */
    private synchronized PublicKey fetchedKey(String identifier) {
        Instant now = clock.instant();
        PublicKey key = keys.get(identifier);
        if (key != null && !tooOld(now)) {
            return key;
        }
        if (lastFetch == null || !now.isBefore(lastFetch.plus(config.refetchInterval()))) {
            lastFetch = now;
            try {
                keys = parse(read());
                readAt = now;
                unreadable = false;
            } catch (IOException | RuntimeException e) {
                unreadable = true;
                LOG.warnf("GitHub's secret-scanning keys could not be read from %s: %s", config.keysUrl(), e.getMessage());
            } catch (InterruptedException e) {
                unreadable = true;
                Thread.currentThread().interrupt();
            }
        }
        key = keys.get(identifier);
        if (key == null && unreadable) {
            RetryAfter retryAfter = RetryAfter.of(Duration.between(now, lastFetch.plus(config.refetchInterval())));
            throw SimpleErrors.unavailable("GitHub's secret-scanning keys could not be read, so the report's signature cannot be "
                    + "checked; nothing was revoked. " + retryAfter.sentence() + ".", retryAfter);
        }
        return key;
    }

    /** The document's bytes, whole within {@code fetch-timeout} (headers and body) and at most {@value #MAX_DOCUMENT_BYTES} bytes. */
    private byte[] read() throws IOException, InterruptedException {
        String location = config.keysUrl();
        Duration timeout = config.fetchTimeout();
        if (PublishedDocuments.isUrl(location)) {
            return PublishedDocuments.fetch(URI.create(location), timeout, MAX_DOCUMENT_BYTES, false);
        }
        Path file = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
        checkSize(Files.size(file));
        return Files.readAllBytes(file);
    }

    private static void checkSize(long size) throws IOException {
        if (size > MAX_DOCUMENT_BYTES) {
            throw new IOException("the document has " + size + " bytes, more than " + MAX_DOCUMENT_BYTES);
        }
    }

    Map<String, PublicKey> parse(byte[] document) throws IOException {
        Map<String, PublicKey> parsed = new HashMap<>();
        JsonNode list = mapper.readTree(document).path("public_keys");
        if (!list.isArray()) {
            throw new IOException("no public_keys array");
        }
        for (JsonNode entry : list) {
            String identifier = entry.path("key_identifier").asText(null);
            String pem = entry.path("key").asText(null);
            if (identifier == null || pem == null) {
                continue;
            }
            try {
                String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
                PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
                if (!onP256(key)) {
                    LOG.warnf("Skipping GitHub secret-scanning key %s: not on the P-256 curve", identifier);
                    continue;
                }
                parsed.put(identifier, key);
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                LOG.warnf("Skipping GitHub secret-scanning key %s: not an EC public key in PEM", identifier);
            }
        }
        return Map.copyOf(parsed);
    }

    /** SPEC section 10: GitHub signs with ECDSA P-256; a key on another curve is not GitHub's. */
    static boolean onP256(PublicKey key) throws GeneralSecurityException {
        if (!(key instanceof ECPublicKey ec)) {
            return false;
        }
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        ECParameterSpec p256 = parameters.getParameterSpec(ECParameterSpec.class);
        ECParameterSpec its = ec.getParams();
        return its.getCurve().equals(p256.getCurve()) && its.getGenerator().equals(p256.getGenerator())
                && its.getOrder().equals(p256.getOrder());
    }

    static boolean verify(PublicKey key, String signature, byte[] body) {
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(key);
            verifier.update(body);
            return verifier.verify(Base64.getDecoder().decode(signature.strip().getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
