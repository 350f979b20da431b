package dev.postgate.publish.publishing;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * A stand-in for a platform whose client answers on a thread of its own (a blocking SDK run on a
 * worker pool): it publishes, and reports one like, from a worker thread. Only a test profile that
 * maps a platform to it ({@code postgate.publish.connectors.platforms.<platform>=elsewhere}) uses it.
 */
@ApplicationScoped
public class ElsewhereConnector implements SocialConnector {
    public static final String NAME = "elsewhere";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Uni<DeliveryResult> publish(Delivery delivery) {
        return Uni.createFrom().item(() -> DeliveryResult.published("elsewhere-" + delivery.idempotencyKey()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    @Override
    public Uni<TargetMetrics> metrics(PublishedTarget target) {
        return Uni.createFrom().item(() -> new TargetMetrics(NAME, 0, 1, 0, 0, 0))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
