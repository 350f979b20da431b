package dev.postgate.common.auth;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import dev.postgate.common.http.RestEndpoints;
import dev.postgate.common.http.RestEndpoints.Endpoint;
import io.quarkus.runtime.StartupEvent;

/**
 * At start, a service with an endpoint that takes API keys ({@link ApiKeyAccess}) must have
 * key-client, the {@link ApiKeyGate} that admits them: without it the service refuses to start,
 * rather than answer 500 at that endpoint's first request.
 */
@ApplicationScoped
public class KeyGateCheck {
    @Inject
    RestEndpoints rest;

    @Inject
    Instance<ApiKeyGate> gates;

    void check(@Observes StartupEvent event) {
        check(rest.all(), gates.isResolvable());
    }

    static void check(List<Endpoint> endpoints, boolean hasGate) {
        if (hasGate) {
            return;
        }
        for (Endpoint endpoint : endpoints) {
            if (endpoint.method().isAnnotationPresent(ApiKeyAccess.class)) {
                throw new IllegalStateException(endpoint.httpMethod() + " " + endpoint.template()
                        + " takes API keys, but this service has no key-client to admit them");
            }
        }
    }
}
