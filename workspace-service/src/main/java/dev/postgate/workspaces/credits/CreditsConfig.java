package dev.postgate.workspaces.credits;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "postgate.credits")
public interface CreditsConfig {
    /** A reservation neither settled nor refunded within this time is refunded automatically. */
    Duration reservationTimeout();

    /** How often the expiry job looks for reservations past their timeout (ReservationExpiry's schedule reads this). */
    Duration expiryCheckInterval();

    /** A credits.low event is published when a balance goes from at least this to below it. */
    long lowBalanceThreshold();

    /** The largest grant (and reservation) in one call. */
    @WithDefault("1000000")
    long maxAmount();
}
