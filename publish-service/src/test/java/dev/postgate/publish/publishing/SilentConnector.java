package dev.postgate.publish.publishing;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

/**
 * A stand-in for a platform that never answers (a connection that stalls mid-call): its calls
 * never end. Only a test profile that maps a platform to it
 * ({@code postgate.publish.connectors.platforms.<platform>=silent}) uses it. It keeps the
 * delivery key of every call, as a platform that received them would.
 */
@ApplicationScoped
public class SilentConnector implements SocialConnector {
    public static final String NAME = "silent";

    /** The delivery key of every call so far. */
    public static final Queue<String> KEYS = new ConcurrentLinkedQueue<>();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Uni<DeliveryResult> publish(Delivery delivery) {
        KEYS.add(delivery.idempotencyKey());
        return Uni.createFrom().nothing();
    }

    @Override
    public Uni<TargetMetrics> metrics(PublishedTarget target) {
        return Uni.createFrom().item(TargetMetrics.none());
    }
}
