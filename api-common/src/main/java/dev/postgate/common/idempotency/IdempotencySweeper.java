package dev.postgate.common.idempotency;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.postgate.common.scheduling.ScheduledPass;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Removes stored Idempotency-Key answers once their 24 hours are over (a repeat after that runs
 * again anyway), so the table holds about a day of keys instead of growing forever. Runs on every
 * instance of every service ({@code postgate.idempotency.sweep-interval}, set in this library's
 * microprofile-config.properties); deleting in small batches keeps each statement short, and
 * instances sweeping at once only share the work.
 */
@ApplicationScoped
public class IdempotencySweeper {
    private static final Logger LOG = Logger.getLogger(IdempotencySweeper.class);
    static final int BATCH = 1000;

    @Inject
    IdempotencyStore store;

    @Scheduled(every = "${postgate.idempotency.sweep-interval}", delayed = "${postgate.idempotency.sweep-delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return ScheduledPass.counted(sweepBatches(0), swept -> LOG.debugf("Swept %d expired Idempotency-Key answers", swept),
                LOG, "Sweeping expired Idempotency-Key answers");
    }

    private Uni<Integer> sweepBatches(int sweptSoFar) {
        return store.purgeExpired(BATCH).chain(deleted -> deleted < BATCH
                ? Uni.createFrom().item(sweptSoFar + deleted)
                : sweepBatches(sweptSoFar + deleted));
    }
}
