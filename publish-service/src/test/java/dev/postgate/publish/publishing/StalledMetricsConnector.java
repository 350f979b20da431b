package dev.postgate.publish.publishing;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

/**
 * A stand-in for a platform that publishes at once but whose metrics calls never answer (a
 * connection that stalls when analytics are read). Only a test profile that maps a platform to it
 * ({@code postgate.publish.connectors.platforms.<platform>=stalled-metrics}) uses it.
 */
@ApplicationScoped
public class StalledMetricsConnector implements SocialConnector {
    public static final String NAME = "stalled-metrics";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Uni<DeliveryResult> publish(Delivery delivery) {
        return Uni.createFrom().item(DeliveryResult.published("stalled-" + delivery.idempotencyKey()));
    }

    @Override
    public Uni<TargetMetrics> metrics(PublishedTarget target) {
        return Uni.createFrom().nothing();
    }
}
