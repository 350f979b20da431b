package dev.postgate.keys.keys;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.postgate.common.outbox.OutboxRelay;
import dev.postgate.common.scheduling.ScheduledPass;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Turns keys whose {@code expires_at} has passed into {@code expired}, with an
 * {@code api_key.expired} event. Consumers never rely on it to stop a key (their cache entries
 * end at {@code expires_at} on their own); it keeps the stored status, the audit log and
 * outside consumers right. Safe with several instances ({@code FOR UPDATE SKIP LOCKED}).
 */
@ApplicationScoped
public class KeyExpiry {
    private static final Logger LOG = Logger.getLogger(KeyExpiry.class);
    static final int BATCH = 100;

    @Inject
    KeyService keys;

    @Inject
    OutboxRelay relay;

    @Scheduled(every = "${postgate.keys.expiry-check-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> expireDueKeys() {
        return ScheduledPass.counted(keys.expireDue(BATCH), expired -> relay.wake(), LOG, "Expiring due keys");
    }
}
