package dev.postgate.workspaces.credits;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.postgate.common.scheduling.ScheduledPass;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Refunds reservations that were neither settled nor refunded within
 * {@code postgate.credits.reservation-timeout}: a caller that crashed mid-work must not keep a
 * workspace's credits forever. Safe with several instances ({@code FOR UPDATE SKIP LOCKED}).
 */
@ApplicationScoped
public class ReservationExpiry {
    private static final Logger LOG = Logger.getLogger(ReservationExpiry.class);
    static final int BATCH = 100;
    /** Batches a pass takes at most (each its own transaction), so that a pass ends; the next goes on. */
    static final int MAX_BATCHES = 100;

    @Inject
    ReservationService reservations;

    @Scheduled(every = "${postgate.credits.expiry-check-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refundExpiredReservations() {
        return ScheduledPass.counted(expireFrom(0, 0),
                refunded -> LOG.infof("Refunded %d expired credit reservations", refunded), LOG, "Refunding expired credit reservations");
    }

    /**
     * Batch after batch while a full one came back: a backlog (a caller that crashed holding many)
     * comes back in one pass, not a hundred holds an interval.
     */
    private Uni<Integer> expireFrom(int batches, int refunded) {
        return reservations.expireDue(BATCH).chain(done -> done == BATCH && batches + 1 < MAX_BATCHES
                ? expireFrom(batches + 1, refunded + done)
                : Uni.createFrom().item(refunded + done));
    }
}
