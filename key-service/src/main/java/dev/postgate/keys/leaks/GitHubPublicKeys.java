package dev.postgate.keys.leaks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * GitHub's secret-scanning public keys (ECDSA P-256), from a document in GitHub's format
 * ({@code {"public_keys": [{"key_identifier", "key", "is_current"}]}}) at
 * {@code postgate.secret-scanning.github.keys-url}. Kept in memory; an identifier not in it fetches
 * the document again, at most once per {@code refetch-interval}, so unsigned noise cannot make
 * this service hammer GitHub.
 */
@ApplicationScoped
public class GitHubPublicKeys {
    private static final Logger LOG = Logger.getLogger(GitHubPublicKeys.class);

    private final LeakConfig.GitHub config;
    private final ObjectMapper mapper;
    private final Clock clock;
    private volatile Map<String, PublicKey> keys = Map.of();
    private Instant lastFetch;

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
        if (known != null) {
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

    private synchronized PublicKey fetchedKey(String identifier) {
        PublicKey key = keys.get(identifier);
        if (key != null) {
            return key;
        }
        Instant now = clock.instant();
        if (lastFetch != null && now.isBefore(lastFetch.plus(config.refetchInterval()))) {
            return null;
        }
        lastFetch = now;
        try {
            keys = parse(read());
        } catch (IOException | RuntimeException e) {
            LOG.warnf("GitHub's secret-scanning keys could not be read from %s: %s", config.keysUrl(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return keys.get(identifier);
    }

    private byte[] read() throws IOException, InterruptedException {
        String location = config.keysUrl();
        if (location.startsWith("https://") || location.startsWith("http://")) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(config.fetchTimeout()).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(location)).timeout(config.fetchTimeout())
                    .header("Accept", "application/json").GET().build();
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IOException("answered " + response.statusCode());
            }
            return response.body();
        }
        return Files.readAllBytes(location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location));
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
                parsed.put(identifier, KeyFactory.getInstance("EC")
                        .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64))));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                LOG.warnf("Skipping GitHub secret-scanning key %s: not an EC public key in PEM", identifier);
            }
        }
        return Map.copyOf(parsed);
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
