package dev.postgate.workspaces.credits;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.PartialIndexes;

/** The expiry job looks for reservations past their timeout through the partial index {@code credit_reservations_due}. */
class DueReservationsQueryTest {
    @Test
    void theQueryWritesOutTheStatusOfItsPartialIndex() throws IOException {
        PartialIndexes.assertWritesOutValues(ReservationRepository.LOCK_DUE, "V1__workspaces.sql", "credit_reservations_due");
    }
}
