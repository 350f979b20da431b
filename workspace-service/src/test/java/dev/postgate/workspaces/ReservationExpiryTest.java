package dev.postgate.workspaces;

import static dev.postgate.workspaces.Api.WORKSPACES;
import static dev.postgate.workspaces.Api.balance;
import static dev.postgate.common.testing.EnvelopeChecks.data;
import static dev.postgate.common.testing.EnvelopeChecks.list;
import static dev.postgate.workspaces.Api.member;
import static dev.postgate.workspaces.Api.newOrg;
import static dev.postgate.workspaces.Api.refund;
import static dev.postgate.workspaces.Api.reserve;
import static dev.postgate.workspaces.Api.settle;
import static dev.postgate.workspaces.Api.workspaceWithBalance;
import static dev.postgate.common.testing.EnvelopeChecks.error;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.KeyServiceResource;
import dev.postgate.common.testing.PostgateInfra;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A reservation that nobody settles or refunds is refunded by the expiry job. Runs with a short
 * timeout in its own application start, so that the other tests' reservations never expire under them.
 */
@QuarkusTest
@TestProfile(ReservationExpiryTest.ShortReservations.class)
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeyServiceResource.class, scope = TestResourceScope.GLOBAL)
class ReservationExpiryTest {

    public static class ShortReservations implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("postgate.credits.reservation-timeout", "3s", "postgate.credits.expiry-check-interval", "500ms");
        }
    }

    @Test
    void aReservationNeitherSettledNorRefundedIsRefundedBySystem() {
        String org = newOrg();
        String ws = workspaceWithBalance(org, 10);
        String id = (String) data(reserve(ws, 4, "expiring-" + UUID.randomUUID())).get("id");
        assertEquals(6, balance(org, ws));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertEquals(10, balance(org, ws)));

        Map<String, Object> entry = list(member(org).get(WORKSPACES + "/" + ws + "/ledger")).get(0);
        assertEquals("refund", entry.get("kind"));
        assertEquals(4, ((Number) entry.get("amount")).longValue());
        assertEquals(10, ((Number) entry.get("balance_after")).longValue());
        assertEquals("system", entry.get("actor"));
        assertEquals("reservation expired", entry.get("reason"));
        assertEquals(Db.balance(ws), Db.ledgerSum(ws));

        // The caller that comes back late: a refund is a no-op, a settle is refused.
        assertEquals("refunded", data(refund(id)).get("status"));
        error(settle(id), 409, "CONFLICT");
        assertEquals(10, balance(org, ws));
        assertEquals(1, Db.ledgerCount(ws, "refund"));
    }

    @Test
    void aSettledReservationIsNeverRefundedByTheJob() {
        String org = newOrg();
        String ws = workspaceWithBalance(org, 10);
        String id = (String) data(reserve(ws, 4, "settled-" + UUID.randomUUID())).get("id");
        settle(id).then().statusCode(200);
        // A witness reserved after the settle, left open: once the job has refunded it, the settled
        // reservation has been past its own timeout for at least as long (a condition, not a sleep).
        reserve(ws, 1, "witness-" + UUID.randomUUID()).then().statusCode(201);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(1, Db.ledgerCount(ws, "refund")));
        assertEquals(6, balance(org, ws), "the witness came back, the settled credits did not");
    }

    /** A reservation another transaction holds is skipped, not waited for, and refunded once it is free. */
    @Test
    void theJobSkipsAReservationThatIsLockedAndRefundsItLater() throws Exception {
        String org = newOrg();
        String ws = workspaceWithBalance(org, 10);
        String held = (String) data(reserve(ws, 2, "held-" + UUID.randomUUID())).get("id");
        String other = workspaceWithBalance(org, 10);
        reserve(other, 3, "free-" + UUID.randomUUID()).then().statusCode(201);
        try (Db.Lock lock = Db.lockRow("select id from workspace_service.credit_reservations where id = ? for update", held)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(10, balance(org, other)));
            assertEquals(8, balance(org, ws));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(10, balance(org, ws)));
    }
}
