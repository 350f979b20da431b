package dev.postgate.keyclient;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.postgate.common.client.InternalLimits;
import io.quarkus.scheduler.Scheduled;

/**
 * Keeps the last use of each key in memory and reports them to key-service in one batch every
 * {@code usage-flush-interval} (30 s), so {@code last_used_at} is right to within a minute
 * without a call per request. A failed report is kept and merged into the next.
 */
@ApplicationScoped
public class UsageReporter {
    private static final Logger LOG = Logger.getLogger(UsageReporter.class);

    @Inject
    KeyServiceClient keyService;

    private final ConcurrentHashMap<String, Instant> pending = new ConcurrentHashMap<>();

    public void record(String keyId) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        pending.merge(keyId, now, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** Every {@code usage-flush-interval}, by the scheduler (a worker thread: the report waits for key-service). */
    @Scheduled(every = "${postgate.key-client.usage-flush-interval}", delayed = "${postgate.key-client.usage-flush-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void flush() {
        while (!pending.isEmpty()) {
            Map<String, Instant> batch = new HashMap<>();
            for (String keyId : pending.keySet()) {
                Instant at = pending.remove(keyId);
                if (at != null) {
                    batch.put(keyId, at);
                }
                if (batch.size() == InternalLimits.USAGE_ITEMS) {
                    break;
                }
            }
            try {
                keyService.reportUsage(batch).await().atMost(Duration.ofSeconds(30));
            } catch (RuntimeException e) {
                batch.forEach((keyId, at) -> pending.merge(keyId, at, (a, b) -> a.isAfter(b) ? a : b));
                LOG.debugf("Usage report postponed: %s", e.getMessage());
                return;
            }
        }
    }

    @PreDestroy
    void stop() {
        flush();
    }
}
