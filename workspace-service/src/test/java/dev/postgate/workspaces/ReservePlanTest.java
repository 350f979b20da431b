package dev.postgate.workspaces;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.KeyServiceResource;
import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.TestDatabase;
import dev.postgate.workspaces.credits.ReservationRepository;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The reserve looks its idempotency keys up by index whatever PostgreSQL knows of the table (issue
 * 13). The pool keeps the statement prepared, so after five runs on a connection PostgreSQL may plan
 * it once for all its parameters (a generic plan) and keep that plan while the connection lives. A
 * plan made while {@code credit_reservations} looked small (a new deployment, or statistics never
 * gathered: autovacuum off or behind, as on the development machine) hashed the whole table on
 * every reserve: the bench's spends fell from about 3,300/s to 1,700/s once it started each section
 * on an emptied database (bench/RESULTS.md, section 4), and a reserve grew slower with every row.
 * Here the statement is planned generically on empty copies of its tables, the worst case.
 */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeyServiceResource.class, scope = TestResourceScope.GLOBAL)
class ReservePlanTest {
    private static final String PARAMETER_TYPES = "(text, text[], bigint[], text[], text[], text[], text[], timestamptz, "
            + "timestamptz, bigint, text, text, text, boolean)";

    @Test
    void theReserveFindsUsedIdempotencyKeysByIndexInAGenericPlanOnAnEmptyTable() throws Exception {
        StringBuilder plan = new StringBuilder();
        // Its own connection: the temporary tables (found before the real ones) vanish with it.
        try (Connection connection = TestDatabase.schema("workspace_service").connect();
                Statement statement = connection.createStatement()) {
            for (String table : new String[] { "workspaces", "credit_reservations", "credit_ledger", "outbox" }) {
                statement.execute("create temporary table " + table + " (like workspace_service." + table + " including all)");
            }
            statement.execute("set plan_cache_mode = force_generic_plan");
            statement.execute("prepare reserve_plan " + PARAMETER_TYPES + " as " + ReservationRepository.RESERVE);
            try (ResultSet rows = statement.executeQuery("explain execute reserve_plan('ws_1', array['res_1', 'res_2'], "
                    + "array[1, 1]::bigint[], array['key-1', 'key-2'], array['ref', 'ref'], array['actor', 'actor'], "
                    + "array['led_1', 'led_2'], now(), now() + interval '15 minutes', 10, 'evt_1', 'now', 'topic', false)")) {
                while (rows.next()) {
                    plan.append(rows.getString(1)).append('\n');
                }
            }
        }
        assertFalse(plan.toString().matches("(?s).*Seq Scan on credit_reservations.*"), plan::toString);
        assertTrue(plan.toString().matches("(?s).*Index Scan using \\S+ on credit_reservations.*"), plan::toString);
    }
}
