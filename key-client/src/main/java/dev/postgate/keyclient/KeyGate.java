package dev.postgate.keyclient;

import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;

import dev.postgate.common.api.Ids;
import dev.postgate.common.auth.ApiKeyAccess;
import dev.postgate.common.auth.ApiKeyGate;
import dev.postgate.common.auth.Caller;
import dev.postgate.common.auth.DeclaredAccess;
import dev.postgate.common.auth.KeyIdentity;
import dev.postgate.common.client.InternalApi;
import dev.postgate.common.errors.ForbiddenException;
import dev.postgate.common.errors.RateLimitedException;
import dev.postgate.common.errors.RetryAfter;
import dev.postgate.common.errors.SimpleErrors;
import dev.postgate.common.errors.UnauthorizedException;
import dev.postgate.common.errors.UnauthorizedException.Reason;
import dev.postgate.common.http.ClientAddresses;
import dev.postgate.common.http.Headers;
import dev.postgate.common.http.RateLimiter;
import dev.postgate.common.keys.KeyBrandConfig;
import dev.postgate.common.keys.KeyFormat;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * API-key admission for endpoints marked {@link ApiKeyAccess}, in the SPEC's order of checks:
 * 401 (format and checksum before any cache or network, then the verified-key cache or
 * key-service), 429 (per-key rate limit), 403 INSUFFICIENT_SCOPE, 400 WORKSPACE_REQUIRED,
 * 403 WORKSPACE_FORBIDDEN. Anything that cannot be decided safely is 503.
 */
@ApplicationScoped
public class KeyGate implements ApiKeyGate {
    /** A verification refused while too many are in flight frees up within a second. */
    private static final RetryAfter BUSY_RETRY = new RetryAfter(1);

    @Inject
    KeyVerifier keys;

    @Inject
    WorkspaceDirectory workspaces;

    @Inject
    RateLimiter rateLimiter;

    @Inject
    UnknownKeyLimiter unknownKeys;

    @Inject
    UsageReporter usage;

    @Inject
    KeyBrandConfig format;

    @Inject
    ClientAddresses clientAddresses;

    @Override
    public Uni<Void> admit(String key, RoutingContext rc, ContainerRequestContext request, DeclaredAccess rule, Caller caller) {
        return authenticate(key, clientAddresses.of(rc.request()), decision -> rateLimitHeaders(rc, decision)).chain(identity -> {
            if (rule.needsScope() && !identity.hasScope(rule.scope())) {
                throw ForbiddenException.insufficientScope(rule.scope(), request.getMethod(), rule.path());
            }
            String workspaceId = request.getHeaderString(Headers.WORKSPACE);
            boolean sent = workspaceId != null && !workspaceId.isBlank();
            if (!rule.workspaceScoped() || (!sent && !rule.workspaceRequired())) {
                caller.apiKey(identity, null);
                return Uni.createFrom().voidItem();
            }
            if (!sent) {
                throw SimpleErrors.workspaceRequired();
            }
            return checkWorkspace(identity, workspaceId.strip()).invoke(() -> caller.apiKey(identity, workspaceId.strip()));
        });
    }

    /**
     * {@code X-RateLimit-Limit}, {@code -Remaining} and {@code -Reset} on every answer to a key,
     * errors included, and answers the REST layer streams (a media download), which pass no
     * response filter: written onto the response just before its headers go.
     */
    private static void rateLimitHeaders(RoutingContext rc, RateLimiter.Decision decision) {
        rc.addHeadersEndHandler(ignored -> decision.headers((name, value) -> rc.response().headers().set(name, value)));
    }

    /**
     * The first two checks, 401 and 429: format and checksum before any cache or network, then the
     * verified-key cache or key-service, then the rate limit (whose decision is handed to
     * {@code rateDecision} for the response headers); records the use for last_used_at. A client
     * address that has used up its unknown-key verifications gets 429 instead of another
     * verification, and over the bound of verifications in flight a request that needs one gets 503.
     */
    public Uni<KeyIdentity> authenticate(String key, String clientAddress, Consumer<RateLimiter.Decision> rateDecision) {
        KeyIdentity cached = authenticateFromCache(key, clientAddress, rateDecision);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        unknownKeys.check(clientAddress);
        return keys.verify(key)
                .onFailure(InternalApi.Unreachable.class)
                .transform(e -> SimpleErrors.unavailable("API keys cannot be verified right now; retry shortly."))
                .onFailure(KeyVerifier.Busy.class)
                .transform(e -> SimpleErrors.unavailable("Too many API keys are being verified right now. " + BUSY_RETRY.sentence() + ".", BUSY_RETRY))
                .invoke(verdict -> {
                    if (verdict.kind() == KeyVerdict.Kind.UNKNOWN) {
                        unknownKeys.recordUnknown(clientAddress);
                    }
                })
                .map(verdict -> admitted(verdict, rateDecision));
    }

    /**
     * {@link #authenticate} without waiting: the key's identity when the live cache knows the key,
     * null when key-service must be asked; throws the 401/429 {@link dev.postgate.common.errors.ApiException}.
     */
    public KeyIdentity authenticateFromCache(String key, String clientAddress, Consumer<RateLimiter.Decision> rateDecision) {
        if (!KeyFormat.isWellFormed(key, format.brand())) {
            throw new UnauthorizedException(Reason.MALFORMED,
                    "The API key is malformed: its format or checksum is wrong. Copy the whole key again.");
        }
        KeyVerdict cached = keys.cachedVerdict(key);
        if (cached == null) {
            return null;
        }
        if (cached.kind() == KeyVerdict.Kind.UNKNOWN) {
            // The 429 comes before the 401: an address over its limit learns nothing more about keys.
            unknownKeys.check(clientAddress);
        }
        return admitted(cached, rateDecision);
    }

    private KeyIdentity admitted(KeyVerdict verdict, Consumer<RateLimiter.Decision> rateDecision) {
        KeyIdentity identity = usable(verdict);
        RateLimiter.Decision decision = rateLimiter.acquire(identity.id());
        rateDecision.accept(decision);
        if (!decision.allowed()) {
            throw new RateLimitedException(decision.limit(), rateLimiter.retryAfter(decision));
        }
        usage.record(identity.id());
        return identity;
    }

    private static KeyIdentity usable(KeyVerdict verdict) {
        return switch (verdict.kind()) {
            case USABLE -> verdict.identity();
            case REVOKED -> throw new UnauthorizedException(Reason.REVOKED, "This API key has been revoked.");
            case EXPIRED -> throw new UnauthorizedException(Reason.EXPIRED, "This API key has expired.");
            case UNKNOWN -> throw new UnauthorizedException(Reason.INVALID, "This API key is not valid.");
        };
    }

    private Uni<Void> checkWorkspace(KeyIdentity identity, String workspaceId) {
        if (!Ids.isWorkspaceId(workspaceId)) {
            // Never looked up, never cached, never echoed: SPEC section 5, well-formed or 403.
            throw ForbiddenException.malformedWorkspace();
        }
        if (!identity.mayUseWorkspace(workspaceId)) {
            throw ForbiddenException.workspace(workspaceId);
        }
        return workspaces.find(workspaceId)
                .onFailure(InternalApi.Unreachable.class)
                .transform(e -> SimpleErrors.unavailable("Workspaces cannot be checked right now; retry shortly."))
                .invoke(fact -> {
                    if (fact == null || fact.deleted() || !fact.orgId().equals(identity.orgId())) {
                        throw ForbiddenException.workspace(workspaceId);
                    }
                })
                .replaceWithVoid();
    }
}
