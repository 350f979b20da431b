package dev.postgate.keyclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** How long a reservation holds credits, by the wall clock (workspace-service's expiry, or now), whatever a service's own clock says. */
class ReservationTest {
    private static final Instant EXPIRES = Instant.now().plus(Duration.ofMinutes(15));

    @Test
    void aHeldReservationHoldsUntilItExpires() {
        assertEquals(EXPIRES, new Reservation("res_1", 7, EXPIRES, "reserved").heldUntil());
    }

    @Test
    void aClosedReservationHoldsNothingFromNowOn() {
        for (String closed : new String[] { "refunded", "settled" }) {
            Instant before = Instant.now();
            Instant heldUntil = new Reservation("res_1", 7, EXPIRES, closed).heldUntil();
            assertFalse(heldUntil.isBefore(before) || heldUntil.isAfter(Instant.now()), closed + ": " + heldUntil);
        }
    }
}
