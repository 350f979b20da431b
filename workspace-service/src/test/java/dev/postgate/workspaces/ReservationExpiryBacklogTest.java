package dev.postgate.workspaces;

import static dev.postgate.common.testing.EnvelopeChecks.data;
import static dev.postgate.workspaces.Api.RESERVATIONS;
import static dev.postgate.workspaces.Api.balance;
import static dev.postgate.workspaces.Api.newOrg;
import static dev.postgate.workspaces.Api.workspaceWithBalance;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * A backlog of expired reservations (a caller that crashed holding many) is refunded by the
 * expiry job's next pass, not a hundred a pass. Its own application start: holds expire after 2 s,
 * the job runs every 10 s.
 */
@QuarkusTest
@TestProfile(ReservationExpiryBacklogTest.RareExpiryPasses.class)
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeyServiceResource.class, scope = TestResourceScope.GLOBAL)
class ReservationExpiryBacklogTest {
    static final Duration CHECK_INTERVAL = Duration.ofSeconds(10);

    public static class RareExpiryPasses implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("postgate.credits.reservation-timeout", "2s", "postgate.credits.expiry-check-interval", CHECK_INTERVAL.toSeconds() + "s");
        }
    }

    /**
     * Found by review: the job refunded at most 100 reservations a pass (every 5 s by default), so
     * the holds of a publish-service that crashed holding 50,000 came back over 40 minutes, the
     * workspaces refused meanwhile for want of credits. Here 300 holds expire together: the first
     * pass after that refunds them all (three passes before, at least 20 s).
     */
    @Test
    void everyExpiredReservationIsRefundedByTheNextPass() {
        String org = newOrg();
        String ws = workspaceWithBalance(org, 300);
        Instant lastExpiry = Instant.EPOCH;
        for (int batch = 0; batch < 3; batch++) {
            List<Map<String, Object>> items = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                items.add(Map.of("amount", 1, "idempotency_key", "backlog-" + UUID.randomUUID(), "reference", "crashed caller"));
            }
            Response reserved = Api.service().contentType(ContentType.JSON).body(Map.of("workspace_id", ws, "items", items))
                    .post(RESERVATIONS + "/batch");
            assertEquals(201, reserved.statusCode(), reserved.asString());
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> holds = (List<Map<String, Object>>) data(reserved).get("items");
            for (Map<String, Object> hold : holds) {
                Instant expiry = Instant.parse((String) hold.get("expires_at"));
                lastExpiry = expiry.isAfter(lastExpiry) ? expiry : lastExpiry;
            }
        }
        assertEquals(0, balance(org, ws));

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> balance(org, ws) == 300);
        Duration afterExpiry = Duration.between(lastExpiry, Instant.now());
        // The next pass starts within one interval of the last expiry and refunds in a few seconds what it finds.
        assertTrue(afterExpiry.compareTo(CHECK_INTERVAL.plusSeconds(6)) < 0, "the backlog took " + afterExpiry.toMillis()
                + " ms after its last hold expired to be refunded");
        assertEquals(300, Db.ledgerCount(ws, "refund"));
        assertEquals(Db.balance(ws), Db.ledgerSum(ws));
    }
}
