package dev.postgate.common.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

import io.smallrye.health.api.HealthGroup;

/** The outbox relay in {@code /q/health/group/kafka} (not readiness: the API works while events wait). */
@ApplicationScoped
@HealthGroup("kafka")
public class OutboxRelayHealth implements HealthCheck {
    @Inject
    OutboxRelay relay;

    @Override
    public HealthCheckResponse call() {
        return relay.health();
    }
}
