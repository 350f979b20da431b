package dev.postgate.workspaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.KeyServiceResource;
import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.workspaces.credits.ReservationRepository;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The pool keeps long statements prepared on their connection (issue 13): the one-statement
 * reserve is longer than the PostgreSQL client keeps by default (2,048 characters), and was parsed
 * and planned again on every reserve.
 */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeyServiceResource.class, scope = TestResourceScope.GLOBAL)
class PreparedStatementCacheTest {
    private static final int CLIENT_DEFAULT_LIMIT = 2048;

    @Inject
    Pool pool;

    @Test
    void aStatementAsLongAsTheReserveStaysPreparedOnItsConnection() {
        assertTrue(ReservationRepository.RESERVE.length() > CLIENT_DEFAULT_LIMIT, "the reserve is the long statement this is about");
        String marker = "prepared-statement-cache-test";
        String statement = "select $1::int + 1 as n /* " + marker + " " + "x".repeat(ReservationRepository.RESERVE.length()) + " */";

        long prepared = pool.withConnection(connection -> connection.preparedQuery(statement).execute(Tuple.of(1))
                .chain(() -> connection.preparedQuery(statement).execute(Tuple.of(2)))
                .chain(() -> connection.query("select count(*) as n from pg_prepared_statements where statement like '%"
                        + marker + "%'").execute())
                .map(rows -> rows.iterator().next().getLong("n")))
                .await().atMost(Duration.ofSeconds(10));

        assertEquals(1, prepared, "the statement is prepared once, by name, and kept on the connection");
    }
}
