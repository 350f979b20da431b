package dev.postgate.common.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.postgate.common.auth.Caller;
import dev.postgate.common.errors.ConflictException;
import dev.postgate.common.errors.ValidationException;
import dev.postgate.common.http.HttpEdge;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code Idempotency-Key} on API-key POSTs (SPEC section 4). After authentication, the request
 * claims its key with a fingerprint (method, path, {@code X-Workspace-Id}, SHA-256 of the body);
 * a repeat with the same fingerprint gets the stored first answer (header
 * {@code Idempotent-Replayed: true}), a different request or a repeat while the first still runs
 * gets 409 IDEMPOTENCY_CONFLICT. 401, 429, 503 and 5xx answers are not stored. Dashboard POSTs
 * never store anything (a key's secret is never written anywhere).
 */
public class IdempotencyFilters {
    private static final Logger LOG = Logger.getLogger(IdempotencyFilters.class);
    public static final String HEADER = "Idempotency-Key";
    static final String CLAIM = "postgate.idempotency.claim";
    private static final Duration ABANDON_AFTER = Duration.ofMinutes(2);

    @Inject
    IdempotencyStore store;

    @Inject
    Caller caller;

    @Inject
    ObjectMapper mapper;

    record OwnedClaim(String orgId, String key) {
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION + 100)
    public Uni<Response> claim(ContainerRequestContext request, RoutingContext rc) {
        String key = request.getHeaderString(HEADER);
        if (key == null || !"POST".equals(request.getMethod()) || !caller.isApiKey()) {
            return Uni.createFrom().nullItem();
        }
        if (key.isEmpty() || key.length() > 255) {
            throw ValidationException.badRequest(HEADER, "Idempotency-Key must be 1 to 255 characters.");
        }
        String fingerprint = fingerprint(request.getMethod(), request.getUriInfo().getPath(),
                request.getHeaderString("X-Workspace-Id"), bodyFingerprint(request, rc));
        String orgId = caller.orgId();
        return store.claim(orgId, key, fingerprint, ABANDON_AFTER).map(claim -> {
            if (claim instanceof IdempotencyStore.Done done) {
                return replay(done, rc);
            }
            if (claim instanceof IdempotencyStore.Running) {
                throw ConflictException.idempotency(
                        "A request with this Idempotency-Key is still running; retry when it has answered.");
            }
            if (claim instanceof IdempotencyStore.Mismatch) {
                throw ConflictException.idempotency(
                        "This Idempotency-Key was already used for a different request (method, path, workspace or body).");
            }
            rc.put(CLAIM, new OwnedClaim(orgId, key));
            return null;
        });
    }

    private Response replay(IdempotencyStore.Done done, RoutingContext rc) {
        Map<String, Object> envelope;
        try {
            envelope = mapper.readValue(done.body(), new TypeReference<LinkedHashMap<String, Object>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored idempotent answer is not JSON", e);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = new LinkedHashMap<>((Map<String, Object>) envelope.getOrDefault("meta", Map.of()));
        meta.put("request_id", HttpEdge.requestId(rc));
        meta.put("timestamp", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        envelope.put("meta", meta);
        Response.ResponseBuilder replay = Response.status(done.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(envelope).header("Idempotent-Replayed", "true");
        @SuppressWarnings("unchecked")
        Map<String, Object> headers = (Map<String, Object>) envelope.get("replay_headers");
        if (headers != null) {
            envelope.remove("replay_headers");
            headers.forEach((name, value) -> replay.header(name, value));
        }
        return replay.build();
    }

    /** Runs after the envelope is built (response filters run in descending priority). */
    @ServerResponseFilter(priority = 50)
    public Uni<Void> store(ContainerResponseContext response, RoutingContext rc) {
        OwnedClaim claim = rc.get(CLAIM);
        if (claim == null) {
            return Uni.createFrom().voidItem();
        }
        rc.remove(CLAIM);
        int status = response.getStatus();
        if (status == 401 || status == 429 || status >= 500) {
            return store.release(claim.orgId(), claim.key()).onFailure().recoverWithNull();
        }
        String body;
        try {
            Map<String, Object> stored = new LinkedHashMap<>();
            Object entity = response.getEntity();
            if (entity instanceof Map<?, ?> map) {
                map.forEach((k, v) -> stored.put(String.valueOf(k), v));
            }
            Map<String, Object> headers = new LinkedHashMap<>();
            for (String name : new String[] { "X-Credits-Cost", "X-Credits-Remaining", "Location" }) {
                Object value = response.getHeaders().getFirst(name);
                if (value != null) {
                    headers.put(name, String.valueOf(value));
                }
            }
            if (!headers.isEmpty()) {
                stored.put("replay_headers", headers);
            }
            body = mapper.writeValueAsString(stored);
        } catch (JsonProcessingException e) {
            LOG.warnf("Answer for an Idempotency-Key could not be stored (%s); releasing the key", e.getOriginalMessage());
            return store.release(claim.orgId(), claim.key());
        }
        return store.complete(claim.orgId(), claim.key(), status, body)
                .onFailure().invoke(e -> LOG.warnf("Answer for an Idempotency-Key not stored (%s); a repeat waits until the claim is abandoned",
                        e.getMessage()))
                .onFailure().recoverWithNull();
    }

    /**
     * The body's part of the fingerprint: its SHA-256 for JSON bodies (read by HttpEdge); for
     * other bodies (multipart uploads, which are streamed to the resource, not buffered here) its
     * media type without parameters and its length, so a repeat with a different file of another
     * size is a conflict, while a different file of exactly the same size replays the first answer.
     */
    private static String bodyFingerprint(ContainerRequestContext request, RoutingContext rc) {
        if (rc.body() != null && rc.body().buffer() != null) {
            return BodyCapture.sha256(rc);
        }
        String type = request.getHeaderString("Content-Type");
        String bare = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase();
        return bare + ":" + request.getHeaderString("Content-Length");
    }

    static String fingerprint(String method, String path, String workspace, String bodySha256) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((method + "\n" + path + "\n" + (workspace == null ? "" : workspace) + "\n" + bodySha256)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
