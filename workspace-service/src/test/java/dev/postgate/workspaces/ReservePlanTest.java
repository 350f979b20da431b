package dev.postgate.workspaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.GenericPlan;
import dev.postgate.common.testing.KeyServiceResource;
import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.workspaces.credits.ReservationRepository;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The reserve looks its idempotency keys up by index whatever PostgreSQL knows of the table (issue
 * 13): its {@code not exists} became a hashed scan of all of {@code credit_reservations} in a
 * generic plan made while the table looked small, on every reserve while the connection lived
 * (the bench's spends fell from about 3,300/s to 1,700/s once it started each section on an
 * emptied database, bench/RESULTS.md). See {@link GenericPlan}.
 */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeyServiceResource.class, scope = TestResourceScope.GLOBAL)
class ReservePlanTest {
    private static final List<String> TABLES = List.of("workspaces", "credit_reservations", "credit_ledger", "outbox");

    @Test
    void theReserveFindsUsedIdempotencyKeysByIndexInAGenericPlanOnAnEmptyTable() throws Exception {
        String plan = GenericPlan.explain("workspace_service", TABLES, ReservationRepository.RESERVE,
                "text, text[], bigint[], text[], text[], text[], text[], timestamptz, timestamptz, bigint, text, text, text, boolean, timestamptz",
                "'ws_1', array['res_1', 'res_2'], array[1, 1]::bigint[], array['key-1', 'key-2'], array['ref', 'ref'], "
                        + "array['actor', 'actor'], array['led_1', 'led_2'], now(), now() + interval '15 minutes', 10, 'evt_1', "
                        + "'now', 'topic', false, now()");
        assertEquals(List.of(), GenericPlan.scannedWhole(plan, TABLES), plan);
        assertTrue(plan.matches("(?s).*Index Scan using \\S+ on credit_reservations.*"), plan);
    }
}
