package dev.postgate.common.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.postgate.common.errors.ForbiddenException;
import dev.postgate.common.errors.UnauthorizedException;
import dev.postgate.common.errors.UnauthorizedException.Reason;
import dev.postgate.common.http.HttpEdge;
import dev.postgate.common.keys.KeyBrandConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Authenticates every request to an endpoint that declares who may call it
 * ({@link DashboardAccess}, {@link ServiceAccess}, or a key rule known to {@link ApiKeyGate}, which
 * {@link KeyGateCheck} makes sure is there at start).
 * The credential's form decides the path: a Bearer value that starts like a key is a key, any
 * other Bearer value is a JWT (SPEC section 3); a credential the endpoint does not take is 401.
 */
public class AuthFilter {
    @Inject
    JwtVerifier jwt;

    @Inject
    Instance<ApiKeyGate> keyGates;

    @Inject
    KeyBrandConfig keys;

    @Inject
    Caller caller;

    private final Map<java.lang.reflect.Method, DeclaredAccess> rules = new ConcurrentHashMap<>();

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Uni<Void> authenticate(ContainerRequestContext request, ResourceInfo resource,
            RoutingContext rc) {
        caller.requestId(HttpEdge.requestId(rc));
        DeclaredAccess rule = rules.computeIfAbsent(resource.getResourceMethod(),
                m -> DeclaredAccess.of(resource.getResourceMethod(), resource.getResourceClass()));
        if (rule.open()) {
            return Uni.createFrom().voidItem();
        }
        Credential credential = Credential.from(request, keys.brand());
        switch (credential.kind()) {
            case API_KEY -> {
                if (!rule.apiKey()) {
                    throw new UnauthorizedException(Reason.INVALID, rule.service()
                            ? "This internal path takes a service token, not an API key."
                            : "This path takes a dashboard token (JWT), not an API key.");
                }
                return keyGates.get().admit(credential.value(), rc, request, rule, caller);
            }
            case JWT -> {
                if (rule.dashboard() != null) {
                    JwtVerifier.DashboardUser user = jwt.dashboard(credential.value());
                    if (user.role() == null || user.role().ordinal() < rule.dashboard().ordinal()) {
                        throw ForbiddenException.role(rule.dashboard().wire());
                    }
                    caller.dashboard(user.userId(), user.orgId());
                } else if (rule.service()) {
                    caller.service(jwt.service(credential.value()));
                } else {
                    throw UnauthorizedException.jwtWhereApiKey();
                }
                return Uni.createFrom().voidItem();
            }
            default -> throw UnauthorizedException.missing(rule.apiKey(), rule.dashboard() != null, rule.service());
        }
    }
}
