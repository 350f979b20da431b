package dev.postgate.common.idempotency;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.postgate.common.auth.ApiKeyAccess;
import dev.postgate.common.auth.Caller;
import dev.postgate.common.errors.ConflictException;
import dev.postgate.common.hash.Sha256;
import dev.postgate.common.http.Envelopes;
import dev.postgate.common.http.Headers;
import dev.postgate.common.http.HttpEdge;
import dev.postgate.common.http.RestEndpoints;
import dev.postgate.common.http.RestEndpoints.Endpoint;
import dev.postgate.common.http.StreamedBody;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Claiming an {@code Idempotency-Key} (SPEC section 4) once the request's fingerprint is known:
 * for buffered bodies in {@link IdempotencyFilters} right after the body is read, for streamed
 * uploads by the endpoint once it has hashed the body ({@link #claimStreamed}).
 */
@ApplicationScoped
public class Idempotency {
    static final String CLAIM = "postgate.idempotency.claim";
    static final String PENDING = "postgate.idempotency.pending";
    /** A conflict answered after the body's validation ({@link ConflictAfterValidation}). */
    static final String CONFLICT = "postgate.idempotency.conflict";
    /** Where a stored answer keeps the headers a replay sends again (never part of the replayed body). */
    static final String REPLAY_HEADERS = "replay_headers";
    static final Duration ABANDON_AFTER = Duration.ofMinutes(2);

    @Inject
    IdempotencyStore store;

    @Inject
    ObjectMapper mapper;

    @Inject
    RestEndpoints rest;

    void checkEndpoints(@Observes StartupEvent event) {
        checkEndpoints(rest.all());
    }

    /**
     * A resource class with an API-key POST that reads its body before the endpoint runs must be
     * {@link IdempotentPosts}: without it, a used Idempotency-Key would be 409 before the body's
     * 400/422.
     */
    static void checkEndpoints(List<Endpoint> endpoints) {
        for (Endpoint endpoint : endpoints) {
            if ("POST".equals(endpoint.httpMethod()) && endpoint.method().isAnnotationPresent(ApiKeyAccess.class)
                    && !endpoint.method().isAnnotationPresent(StreamedBody.class)
                    && !endpoint.resource().isAnnotationPresent(IdempotentPosts.class)) {
                throw new IllegalStateException("POST " + endpoint.template() + " takes API keys and Idempotency-Key, but "
                        + endpoint.resource().getSimpleName() + " is not @IdempotentPosts");
            }
        }
    }

    /**
     * Where a caller's keys and answers are kept: its organisation (SPEC section 4), live and test
     * mode apart (section 2), as Stripe keeps them. A live request never gets an answer a test-mode
     * key was given (a post made in the sandbox, a free generation) for the same Idempotency-Key, nor
     * the other way round; each is run in its own mode. The org id comes from the identity
     * provider and may hold a {@code /} ({@code acme/test}): it is written with {@code %} and
     * {@code /} escaped, so the test scope of one organisation is never another's scope. An org id
     * without either is written as it is, so keys stored before this rule still match.
     */
    static String scope(Caller caller) {
        String org = caller.orgId().replace("%", "%25").replace("/", "%2F");
        return caller.testMode() ? org + "/test" : org;
    }

    /**
     * This request owns the key ({@code orgId} is its {@link #scope}) by its claim made at
     * {@code claimedAt}: its answer is stored by {@link IdempotencyFilters#store}.
     */
    record OwnedClaim(String orgId, String key, OffsetDateTime claimedAt) {
    }

    /** A key to claim once the streamed body's hash is known. */
    record Pending(String orgId, String key, String method, String path, String workspace) {
    }

    /**
     * Claims {@code key} for this request: null when the request may run (its answer will be
     * stored), the stored answer when it repeats a finished one; 409 IDEMPOTENCY_CONFLICT for a
     * different request with the same key or a repeat while the first still runs. With
     * {@code afterValidation} (an {@link IdempotentPosts} endpoint) that 409 is not thrown here but
     * left for {@link ConflictAfterValidation}, and the request goes on to have its body read and
     * validated first; it owns no claim, so nothing of its answer is stored.
     */
    Uni<Response> claim(RoutingContext rc, String orgId, String key, String fingerprint, boolean afterValidation) {
        return store.claim(orgId, key, fingerprint, ABANDON_AFTER).map(claim -> {
            if (claim instanceof IdempotencyStore.Done done) {
                return replay(done, rc);
            }
            ConflictException conflict = null;
            if (claim instanceof IdempotencyStore.Running) {
                conflict = ConflictException.idempotency(
                        "A request with this Idempotency-Key is still running; retry when it has answered.");
            } else if (claim instanceof IdempotencyStore.Mismatch) {
                conflict = ConflictException.idempotency(
                        "This Idempotency-Key was already used for a different request (method, path, workspace or body).");
            }
            if (conflict == null) {
                rc.put(CLAIM, new OwnedClaim(orgId, key, ((IdempotencyStore.Claimed) claim).claimedAt()));
            } else if (afterValidation) {
                rc.put(CONFLICT, conflict);
            } else {
                throw conflict;
            }
            return null;
        });
    }

    /**
     * For endpoints that stream their body: once the whole body has arrived and been hashed,
     * claims the request's Idempotency-Key (if it sent one with an API key). Null when the request
     * goes on; otherwise the stored answer to replay. Throws 409 like {@link #claim}. Call it
     * before anything of the request is made visible.
     */
    public Uni<Response> claimStreamed(RoutingContext rc, String bodySha256) {
        Pending pending = rc.get(PENDING);
        if (pending == null) {
            return Uni.createFrom().nullItem();
        }
        rc.remove(PENDING);
        return claim(rc, pending.orgId(), pending.key(),
                fingerprint(pending.method(), pending.path(), pending.workspace(), bodySha256), false);
    }

    /**
     * For endpoints that stream their body, before a limit that a repeat must not meet (a storage
     * quota the first run used up): whether the request's Idempotency-Key already holds a finished
     * answer, which {@link #claimStreamed} replays if the body is the same (409 if not).
     */
    public Uni<Boolean> answeredBefore(RoutingContext rc) {
        Pending pending = rc.get(PENDING);
        return pending == null ? Uni.createFrom().item(false) : store.answered(pending.orgId(), pending.key());
    }

    void defer(RoutingContext rc, Pending pending) {
        rc.put(PENDING, pending);
    }

    private Response replay(IdempotencyStore.Done done, RoutingContext rc) {
        Map<String, Object> envelope;
        try {
            envelope = mapper.readValue(done.body(), new TypeReference<LinkedHashMap<String, Object>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored idempotent answer is not JSON", e);
        }
        Envelopes.restamp(envelope, HttpEdge.requestId(rc));
        Response.ResponseBuilder replay = Response.status(done.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(envelope).header(Headers.IDEMPOTENT_REPLAYED, "true");
        @SuppressWarnings("unchecked")
        Map<String, Object> headers = (Map<String, Object>) envelope.get(REPLAY_HEADERS);
        if (headers != null) {
            envelope.remove(REPLAY_HEADERS);
            headers.forEach((name, value) -> replay.header(name, value));
        }
        return replay.build();
    }

    static String fingerprint(String method, String path, String workspace, String bodySha256) {
        return Sha256.hex(method + "\n" + path + "\n" + (workspace == null ? "" : workspace) + "\n" + bodySha256);
    }
}
