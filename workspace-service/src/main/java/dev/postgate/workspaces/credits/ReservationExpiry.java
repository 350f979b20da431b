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

    @Inject
    ReservationService reservations;

    @Scheduled(every = "${postgate.credits.expiry-check-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refundExpiredReservations() {
        return ScheduledPass.counted(reservations.expireDue(BATCH),
                refunded -> LOG.infof("Refunded %d expired credit reservations", refunded), LOG, "Refunding expired credit reservations");
    }
}
