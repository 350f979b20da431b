package dev.postgate.publish.publishing;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

/**
 * A stand-in for a platform that takes its time but answers (within the call's time limit):
 * every call publishes after {@link #ANSWER_TIME}. It counts its calls by idempotency key, as a
 * platform would see them. Only a test profile that maps a platform to it
 * ({@code postgate.publish.connectors.platforms.<platform>=slow}) uses it.
 */
@ApplicationScoped
public class SlowConnector implements SocialConnector {
    public static final String NAME = "slow";
    public static final Duration ANSWER_TIME = Duration.ofMillis(600);

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Uni<DeliveryResult> publish(Delivery delivery) {
        calls.computeIfAbsent(delivery.idempotencyKey(), key -> new AtomicInteger()).incrementAndGet();
        return Uni.createFrom().item(DeliveryResult.published("slow-" + delivery.idempotencyKey()))
                .onItem().delayIt().by(ANSWER_TIME);
    }

    /** How many times the platform was called with each idempotency key so far. */
    public Map<String, Integer> callsByKey() {
        Map<String, Integer> copy = new ConcurrentHashMap<>();
        calls.forEach((key, count) -> copy.put(key, count.get()));
        return copy;
    }

    @Override
    public Uni<TargetMetrics> metrics(PublishedTarget target) {
        return Uni.createFrom().item(TargetMetrics.none());
    }
}
