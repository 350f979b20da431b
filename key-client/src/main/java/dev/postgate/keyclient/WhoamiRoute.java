package dev.postgate.keyclient;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.postgate.common.auth.ApiKeyAccess;
import dev.postgate.common.auth.Credential;
import dev.postgate.common.auth.KeyIdentity;
import dev.postgate.common.errors.ApiException;
import dev.postgate.common.errors.SimpleErrors;
import dev.postgate.common.http.AllowedMethods;
import dev.postgate.common.http.ClientAddresses;
import dev.postgate.common.http.Envelopes;
import dev.postgate.common.http.ErrorMapper;
import dev.postgate.common.http.HttpEdge;
import dev.postgate.common.http.RateLimiter;
import dev.postgate.common.keys.KeyBrandConfig;
import dev.postgate.common.keys.KeyMode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/v1/whoami}: the calling key ({@code id, name, org_id, scopes, workspace_ids,
 * mode, expires_at}), answered from the verified-key cache with no database or network work on
 * a warm cache. It is the hottest authenticated path (clients call it to check their key), so it
 * is a plain HTTP route: the same checks as every key-authenticated endpoint ({@link
 * KeyGate#authenticate}), without the REST layer's per-request machinery. Documented in
 * META-INF/openapi.yaml, which names {@link #handle} so that the document reads its access rule.
 */
@ApplicationScoped
public class WhoamiRoute {
    private static final Logger LOG = Logger.getLogger(WhoamiRoute.class);
    public static final String PATH = "/api/v1/whoami";

    @Inject
    KeyGate gate;

    @Inject
    KeyBrandConfig keys;

    @Inject
    HttpEdge edge;

    @Inject
    ClientAddresses clientAddresses;

    @Inject
    ObjectMapper mapper;

    @Inject
    AllowedMethods allowed;

    /** Identities are the cache's own objects, so identity-keyed (weak) entries follow them out. */
    private final Cache<KeyIdentity, String> rendered = Caffeine.newBuilder().weakKeys().maximumSize(100_000).build();

    /**
     * What whoami shows of a key (snake_case through the shared ObjectMapper). Serialized by hand
     * on a Vert.x route, not by the REST layer, so registered for reflection for the native image.
     */
    @RegisterForReflection
    public record Whoami(String id, String name, String orgId, Set<String> scopes, List<String> workspaceIds, KeyMode mode,
            Instant expiresAt) {
    }

    void install(@Observes Router router) {
        // After HttpEdge's request-id handler (-1000), before the REST layer.
        router.route(PATH).order(-100).handler(this::handle);
        // HEAD as on every REST path that takes GET: the server leaves the body out.
        allowed.add(PATH, HttpMethod.GET.name(), HttpMethod.HEAD.name());
    }

    @ApiKeyAccess(scope = ApiKeyAccess.ANY_SCOPE)
    private void handle(RoutingContext rc) {
        if (rc.request().method() != HttpMethod.GET && rc.request().method() != HttpMethod.HEAD) {
            edge.reply(rc, SimpleErrors.methodNotAllowed(rc.request().method().name(), allowed.of(PATH)));
            return;
        }
        Map<String, String> rateHeaders = new LinkedHashMap<>();
        String key;
        try {
            key = Credential.from(rc.request(), keys.brand()).requireApiKey();
        } catch (ApiException e) {
            edge.reply(rc, e);
            return;
        }
        Consumer<RateLimiter.Decision> onDecision = decision -> decision.headers(rateHeaders::put);
        String clientAddress = clientAddresses.of(rc.request());
        try {
            KeyIdentity cached = gate.authenticateFromCache(key, clientAddress, onDecision);
            if (cached != null) {
                ok(rc, cached, rateHeaders);
                return;
            }
            gate.authenticate(key, clientAddress, onDecision)
                    .subscribe().with(identity -> ok(rc, identity, rateHeaders), failure -> fail(rc, failure, rateHeaders));
        } catch (ApiException e) {
            fail(rc, e, rateHeaders);
        }
    }

    private void ok(RoutingContext rc, KeyIdentity key, Map<String, String> rateHeaders) {
        String data = rendered.get(key, this::render);
        if (data == null) {
            fail(rc, new IllegalStateException("whoami could not be rendered"), rateHeaders);
            return;
        }
        String body = Envelopes.successJson(data, HttpEdge.requestId(rc));
        rateHeaders.forEach(rc.response()::putHeader);
        rc.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body);
    }

    /** The key's data as JSON, rendered once per cached identity. */
    private String render(KeyIdentity key) {
        Whoami whoami = new Whoami(key.id(), key.name(), key.orgId(), key.scopes(), key.workspaceIds(), key.mode(),
                key.expiresAt());
        try {
            return mapper.writeValueAsString(whoami);
        } catch (JsonProcessingException e) {
            LOG.errorf(e, "whoami of %s cannot be rendered", key.id());
            return null;
        }
    }

    private void fail(RoutingContext rc, Throwable failure, Map<String, String> rateHeaders) {
        rateHeaders.forEach(rc.response()::putHeader);
        edge.reply(rc, failure instanceof ApiException api ? api : ErrorMapper.unexpectedError(failure, rc));
    }
}
