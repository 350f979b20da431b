package dev.postgate.common.kafka;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

import io.smallrye.health.api.HealthGroup;

/** {@code /q/health/group/kafka}: can this instance reach the broker (read from the last probe). */
@ApplicationScoped
@HealthGroup("kafka")
public class KafkaConnectionHealth implements HealthCheck {
    @Inject
    KafkaConnectionCheck connection;

    @Override
    public HealthCheckResponse call() {
        return connection.health();
    }
}
