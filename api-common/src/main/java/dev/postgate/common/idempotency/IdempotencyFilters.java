package dev.postgate.common.idempotency;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.postgate.common.api.UrlPaths;
import dev.postgate.common.auth.Caller;
import dev.postgate.common.errors.ValidationException;
import dev.postgate.common.hash.Sha256;
import dev.postgate.common.http.Headers;
import dev.postgate.common.http.RequestBodies;
import dev.postgate.common.http.StreamedBody;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code Idempotency-Key} on API-key POSTs (SPEC section 4). After authentication and once the
 * body has been read ({@link RequestBodies}), the request claims its key (in its organisation and
 * key mode: {@link Idempotency#scope}) with a fingerprint
 * (method, path, {@code X-Workspace-Id}, SHA-256 of the body); a repeat with the same fingerprint
 * gets the stored first answer (header {@code Idempotent-Replayed: true}), a different request or
 * a repeat while the first still runs gets 409 IDEMPOTENCY_CONFLICT, after the body's own 400/422
 * ({@link IdempotentPosts}). Endpoints that stream their
 * body ({@link StreamedBody}) claim it themselves once they have hashed it. 401, 429, 503 and 5xx
 * answers are not stored. Dashboard POSTs never store anything (a key's secret is never written
 * anywhere).
 */
public class IdempotencyFilters {
    private static final Logger LOG = Logger.getLogger(IdempotencyFilters.class);
    /** The longest Idempotency-Key (SPEC section 6). */
    public static final int MAX_KEY = 255;

    @Inject
    IdempotencyStore store;

    @Inject
    Idempotency idempotency;

    @Inject
    Caller caller;

    @Inject
    ObjectMapper mapper;

    /** Runs after {@link RequestBodies#read} (priority {@code AUTHORIZATION + 50}). */
    @ServerRequestFilter(priority = Priorities.AUTHORIZATION + 100)
    public Uni<Response> claim(ContainerRequestContext request, ResourceInfo resource, RoutingContext rc) {
        String key = request.getHeaderString(Headers.IDEMPOTENCY_KEY);
        if (key == null || !"POST".equals(request.getMethod()) || !caller.isApiKey()) {
            return Uni.createFrom().nullItem();
        }
        checkKey(key);
        // As the REST layer routes it: a trailing slash names the same endpoint, so the same request.
        String path = UrlPaths.withoutTrailingSlash(request.getUriInfo().getPath());
        String workspace = request.getHeaderString(Headers.WORKSPACE);
        String scope = Idempotency.scope(caller);
        if (resource.getResourceMethod().isAnnotationPresent(StreamedBody.class)) {
            idempotency.defer(rc, new Idempotency.Pending(scope, key, request.getMethod(), path, workspace));
            return Uni.createFrom().nullItem();
        }
        byte[] body = rc.get(RequestBodies.BODY);
        return idempotency.claim(rc, scope, key, Idempotency.fingerprint(request.getMethod(), path, workspace, Sha256.hex(body)),
                resource.getResourceClass().isAnnotationPresent(IdempotentPosts.class));
    }

    /** 400 VALIDATION_FAILED for an Idempotency-Key that is empty or over {@value #MAX_KEY} characters. */
    public static void checkKey(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY) {
            throw ValidationException.badRequest(Headers.IDEMPOTENCY_KEY, Headers.IDEMPOTENCY_KEY + " must be 1 to " + MAX_KEY + " characters.");
        }
    }

    /** Runs after the envelope is built (response filters run in descending priority). */
    @ServerResponseFilter(priority = 50)
    public Uni<Void> store(ContainerResponseContext response, RoutingContext rc) {
        Idempotency.OwnedClaim claim = rc.get(Idempotency.CLAIM);
        if (claim == null) {
            return Uni.createFrom().voidItem();
        }
        rc.remove(Idempotency.CLAIM);
        int status = response.getStatus();
        if (status == 401 || status == 429 || status >= 500) {
            return store.release(claim.orgId(), claim.key(), claim.claimedAt()).onFailure().recoverWithNull();
        }
        String body;
        try {
            Map<String, Object> stored = new LinkedHashMap<>();
            Object entity = response.getEntity();
            if (entity instanceof Map<?, ?> map) {
                map.forEach((k, v) -> stored.put(String.valueOf(k), v));
            }
            Map<String, Object> headers = new LinkedHashMap<>();
            for (String name : new String[] { Headers.CREDITS_COST, Headers.CREDITS_REMAINING, HttpHeaders.LOCATION }) {
                Object value = response.getHeaders().getFirst(name);
                if (value != null) {
                    headers.put(name, String.valueOf(value));
                }
            }
            if (!headers.isEmpty()) {
                stored.put(Idempotency.REPLAY_HEADERS, headers);
            }
            body = mapper.writeValueAsString(stored);
        } catch (JsonProcessingException e) {
            LOG.warnf("Answer for an Idempotency-Key could not be stored (%s); releasing the key", e.getOriginalMessage());
            return store.release(claim.orgId(), claim.key(), claim.claimedAt());
        }
        return store.complete(claim.orgId(), claim.key(), claim.claimedAt(), status, body)
                .invoke(stored -> {
                    if (!stored) {
                        LOG.warnf("Answer for an Idempotency-Key not stored: the request ran past %s and a repeat took the key over",
                                Idempotency.ABANDON_AFTER);
                    }
                })
                .replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("Answer for an Idempotency-Key not stored (%s); a repeat waits until the claim is abandoned",
                        e.getMessage()))
                .onFailure().recoverWithNull();
    }
}
