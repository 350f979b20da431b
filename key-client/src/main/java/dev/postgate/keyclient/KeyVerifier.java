package dev.postgate.keyclient;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import dev.postgate.common.client.InternalApi;
import dev.postgate.common.hash.Sha256;
import dev.postgate.common.kafka.KeysTopic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;

/**
 * Answers "what is this key?" from the verified-key cache while the event stream is live, and
 * otherwise from key-service, with one verification in flight per key however many requests
 * ask at once (single flight). Exports cache hits and misses and verification latency.
 */
@ApplicationScoped
public class KeyVerifier {
    private final VerifiedKeyCache cache;
    private final ConcurrentMap<String, Uni<KeyVerdict>> inFlight = new ConcurrentHashMap<>();
    private final Counter hits;
    private final Counter misses;
    private final Timer verification;
    private final int maxInFlight;

    @Inject
    KeyServiceClient keyService;

    @Inject
    KeyAndWorkspaceEvents events;

    @Inject
    public KeyVerifier(KeyClientConfig config, MeterRegistry registry) {
        this.maxInFlight = config.maxVerificationsInFlight();
        this.cache = new VerifiedKeyCache(config.maxEntries(), config.ttl(), config.unknownTtl(), Clock.systemUTC());
        this.hits = registry.counter("postgate_key_cache_hits_total");
        this.misses = registry.counter("postgate_key_cache_misses_total");
        this.verification = Timer.builder("postgate_key_verification")
                .description("Round trip of a key verification with key-service")
                .publishPercentiles(0.5, 0.95, 0.99).register(registry);
        registry.gauge("postgate_key_cache_size", cache, VerifiedKeyCache::size);
    }

    /** This instance already has as many verifications in flight as it allows. */
    public static class Busy extends RuntimeException {
        Busy(int maxInFlight) {
            super(maxInFlight + " key verifications are in flight", null, false, false);
        }
    }

    /**
     * The verdict from key-service, for a key {@link #cachedVerdict} did not answer: one
     * verification in flight per key however many requests ask at once, and at most
     * {@code max-verifications-in-flight} keys at once. Fails with {@link InternalApi.Unreachable}
     * when key-service cannot answer, and with {@link Busy} over the bound.
     */
    public Uni<KeyVerdict> verify(String key) {
        String hash = Sha256.hex(key);
        misses.increment();
        // Approximate under a race (a few over the bound at most): it bounds load, it is not an accounting.
        if (inFlight.size() >= maxInFlight && !inFlight.containsKey(hash)) {
            return Uni.createFrom().failure(new Busy(maxInFlight));
        }
        return inFlight.computeIfAbsent(hash, h -> verifyAndCache(key, h)
                .onTermination().invoke(() -> inFlight.remove(h))
                .memoize().indefinitely());
    }

    /**
     * The cached verdict, without any waiting: while the event stream is live any verdict, and
     * otherwise only a refusal (SPEC section 6: keys the cache knows as unknown, revoked or expired
     * are refused from it; a refusal is final, so no event it may have missed can change it); null
     * on a miss, or for a usable key while the stream is not trusted.
     */
    public KeyVerdict cachedVerdict(String key) {
        return cached(Sha256.hex(key));
    }

    private KeyVerdict cached(String hash) {
        long announcement = events.trustedAnnouncement();
        KeyVerdict verdict = announcement == 0 ? cache.refusal(hash) : cache.get(announcement, hash);
        if (verdict != null) {
            hits.increment();
        }
        return verdict;
    }

    private Uni<KeyVerdict> verifyAndCache(String key, String hash) {
        long started = System.nanoTime();
        // Only a verification that started once key-service counts this instance may be cached (SPEC section 6).
        long announcement = events.fillableAnnouncement();
        return currentAnswer(key, hash, announcement, MAX_ASKS)
                .invoke(() -> verification.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS));
    }

    /**
     * How often one verification asks key-service before it gives up (503): each answer an event
     * overtook while it was in flight is asked for again, and a key that keeps changing faster than
     * key-service answers cannot be verified now.
     */
    static final int MAX_ASKS = 3;

    /**
     * key-service's answer, cached if the verification may fill the cache, unless an event newer
     * than it arrived while it was in flight: then key-service is asked again, {@code asksLeft}
     * times at most. Every request that joined this verification gets the answer, including one
     * that came after a revocation was applied (and confirmed), so no answer older than an applied
     * event is ever returned.
     */
    private Uni<KeyVerdict> currentAnswer(String key, String hash, long announcement, int asksLeft) {
        return keyService.verify(key).chain(answer -> {
            // Kept only if key-service has counted this instance without a break since the verification started.
            boolean fill = announcement != 0 && events.fillableAnnouncement() == announcement;
            if (fill ? cache.offer(announcement, hash, answer) : !cache.isStale(answer)) {
                return Uni.createFrom().item(answer);
            }
            if (asksLeft <= 1) {
                return Uni.createFrom().failure(new InternalApi.Unreachable("the key changed during each of " + MAX_ASKS
                        + " verifications", null));
            }
            return currentAnswer(key, hash, announcement, asksLeft - 1);
        });
    }

    /** A key event: {@code type} api_key.revoked and api_key.expired are final refusals, others only drop the entry. */
    void onEvent(@Observes KeyChanged change) {
        KeyVerdict.Kind finalState = switch (change.type()) {
            case KeysTopic.REVOKED -> KeyVerdict.Kind.REVOKED;
            case KeysTopic.EXPIRED -> KeyVerdict.Kind.EXPIRED;
            default -> null;
        };
        cache.onEvent(change.keyId(), change.seq(), finalState);
    }
}
