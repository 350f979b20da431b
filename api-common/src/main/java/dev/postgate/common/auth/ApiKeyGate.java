package dev.postgate.common.auth;

import jakarta.ws.rs.container.ContainerRequestContext;

import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * API-key admission, provided by key-client in the services that accept keys: the
 * authentication filter hands it the requests that carry a key on paths it guards.
 */
public interface ApiKeyGate {

    /**
     * Authenticates the key (from the client address {@link dev.postgate.common.http.ClientAddresses}
     * reads from {@code rc}, for the per-address limits; the rate-limit headers go onto {@code rc}'s
     * response) and applies the endpoint's rule, as the filter read it
     * once for the endpoint ({@code rule.key()} is never null here), in the SPEC's order (401, 429,
     * 403 scope, 400 workspace required, 403 workspace forbidden), filling {@code caller};
     * fails with the corresponding {@link dev.postgate.common.errors.ApiException}.
     */
    Uni<Void> admit(String key, RoutingContext rc, ContainerRequestContext request, DeclaredAccess rule, Caller caller);
}
