package dev.postgate.workspaces;

import static dev.postgate.workspaces.Api.CREDITS_TOPIC;
import static dev.postgate.workspaces.Api.WORKSPACES;
import static dev.postgate.workspaces.Api.WORKSPACES_TOPIC;
import static dev.postgate.workspaces.Api.admin;
import static dev.postgate.workspaces.Api.createWorkspace;
import static dev.postgate.common.testing.EnvelopeChecks.data;
import static dev.postgate.workspaces.Api.newOrg;
import static dev.postgate.common.testing.EnvelopeChecks.number;
import static dev.postgate.workspaces.Api.refund;
import static dev.postgate.workspaces.Api.reserve;
import static dev.postgate.workspaces.Api.workspaceWithBalance;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.postgate.common.api.Ids;
import dev.postgate.common.testing.KeyServiceResource;
import dev.postgate.common.testing.Metrics;
import dev.postgate.common.testing.MutableClock;
import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.TopicRecorder;
import dev.postgate.common.testing.TopicRecorder.Received;
import dev.postgate.common.time.TimeSource;
import dev.postgate.workspaces.credits.CreditsConfig;
import dev.postgate.workspaces.credits.ReservationRepository;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;

/** The events outside consumers read, on the real broker, with a plain consumer (no group). */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeyServiceResource.class, scope = TestResourceScope.GLOBAL)
class WorkspaceEventsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    ReservationRepository repository;

    @Inject
    CreditsConfig credits;

    private static boolean about(Received record, String workspaceId, String type) {
        return record.json() != null && workspaceId.equals(record.json().get("workspace_id")) && type.equals(record.type());
    }

    @Test
    void creatingAndDeletingAWorkspacePublishEventsKeyedByItsId() {
        String org = newOrg();
        try (TopicRecorder topic = TopicRecorder.fromEnd(WORKSPACES_TOPIC)) {
            String ws = createWorkspace(org, "evented");
            Received created = topic.await(r -> about(r, ws, "workspace.created"), WAIT, "workspace.created for " + ws);
            assertEquals(ws, created.key());
            assertEquals(org, created.json().get("org_id"));
            assertEquals(1, created.json().get("version"));
            assertTrue(((String) created.json().get("id")).startsWith("evt_"));
            Instant.parse((String) created.json().get("occurred_at"));
            assertEquals(Set.of("id", "type", "workspace_id", "org_id", "occurred_at", "version"), created.json().keySet());

            Instant before = Instant.now();
            admin(org).delete(WORKSPACES + "/" + ws).then().statusCode(200);
            // The deletion waits for its event (bounded), so it is on the broker about when the answer arrives.
            Received deleted = topic.await(r -> about(r, ws, "workspace.deleted"), WAIT, "workspace.deleted for " + ws);
            assertEquals(ws, deleted.key());
            assertEquals(org, deleted.json().get("org_id"));
            assertTrue(Duration.between(before, Instant.now()).toSeconds() < 30);
            assertEquals(2, topic.events().stream().filter(r -> ws.equals(r.key())).count());
        }
    }

    @Test
    void balanceFallingBelowTheThresholdPublishesCreditsLowOnce() {
        String org = newOrg();
        String ws = workspaceWithBalance(org, 12);
        try (TopicRecorder topic = TopicRecorder.fromEnd(CREDITS_TOPIC)) {
            reserve(ws, 2, "low-" + UUID.randomUUID()).then().statusCode(201); // 12 -> 10: not below 10
            String crossing = (String) data(reserve(ws, 3, "low-" + UUID.randomUUID())).get("id"); // 10 -> 7: crosses
            reserve(ws, 1, "low-" + UUID.randomUUID()).then().statusCode(201); // 7 -> 6: already below

            Received low = topic.await(r -> about(r, ws, "credits.low"), WAIT, "credits.low for " + ws);
            assertEquals(ws, low.key());
            assertEquals(org, low.json().get("org_id"));
            assertEquals(7, number(low.json().get("balance")));
            assertEquals(10, number(low.json().get("threshold")));
            assertEquals(1, low.json().get("version"));
            assertTrue(((String) low.json().get("id")).startsWith("evt_"));
            Instant.parse((String) low.json().get("occurred_at"));
            assertEquals(Set.of("id", "type", "workspace_id", "org_id", "balance", "threshold", "occurred_at", "version"),
                    low.json().keySet());

            // Back above the threshold and down again: a second crossing, a second event.
            refund(crossing).then().statusCode(200); // 6 -> 9: still below
            Api.granted(org, ws, 5); // 9 -> 14
            reserve(ws, 5, "low-" + UUID.randomUUID()).then().statusCode(201); // 14 -> 9: crosses again
            List<Received> all = topic.awaitAll(records -> records.stream().filter(r -> about(r, ws, "credits.low")).count() >= 2,
                    WAIT, "a second credits.low for " + ws);
            List<Long> balances = all.stream().filter(r -> about(r, ws, "credits.low")).map(r -> number(r.json().get("balance")))
                    .toList();
            assertEquals(List.of(7L, 9L), balances);
        }
    }

    /**
     * Found by review: reserves that share a statement ({@code ReserveBatches}) crossed the
     * threshold in its first item, but the event said the balance after the last one, not "the
     * balance right after the change that crossed the threshold" (workspace-service's README).
     */
    @Test
    void creditsLowSaysTheBalanceAfterTheReserveThatCrossedEvenWhenLaterOnesShareItsStatement() {
        String org = newOrg();
        String ws = workspaceWithBalance(org, 12);
        List<ReservationRepository.NewReservation> items = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            items.add(new ReservationRepository.NewReservation(Ids.newId(Ids.RESERVATION), 5, "low-" + UUID.randomUUID(), null,
                    "service:test", Ids.newId(Ids.LEDGER_ENTRY)));
        }
        try (TopicRecorder topic = TopicRecorder.fromEnd(CREDITS_TOPIC)) {
            // 12 -> 7 crosses 10, then 7 -> 2, in one statement.
            ReservationRepository.Reserved reserved = repository.reserve(ReservationRepository.ReserveBatch.at(Instant.now(), credits, ws,
                    items, false)).await().atMost(WAIT);
            assertTrue(reserved.lowBalanceEvent());
            assertEquals(7, reserved.byIdempotencyKey().get(items.get(0).idempotencyKey()).balance());
            Received low = topic.await(r -> about(r, ws, "credits.low"), WAIT, "credits.low for " + ws);
            assertEquals(7, number(low.json().get("balance")));
        }
    }

    /**
     * The reserve writes its credits.low row in its own statement; like every outbox row it is
     * stamped by the wall clock, which the relay's lag metric compares with, not by the service's
     * clock: a service clock a day behind must not show a day of outbox lag.
     */
    @Test
    void creditsLowFromTheReserveIsStampedAsTheLagMetricMeasures() {
        String org = newOrg();
        String ws = workspaceWithBalance(org, 12);
        QuarkusMock.installMockForType(new TimeSource(new MutableClock(Instant.now().minus(Duration.ofDays(1)))), TimeSource.class);
        double sentBefore = Metrics.sum("postgate_outbox_lag_seconds_count");
        try (TopicRecorder topic = TopicRecorder.fromEnd(CREDITS_TOPIC)) {
            reserve(ws, 3, "low-" + UUID.randomUUID()).then().statusCode(201); // 12 -> 9: crosses
            topic.await(r -> about(r, ws, "credits.low"), WAIT, "credits.low for " + ws);
        }
        await().atMost(WAIT).until(() -> Metrics.sum("postgate_outbox_lag_seconds_count") > sentBefore);
        double maxLag = Metrics.sum("postgate_outbox_lag_seconds_max");
        assertTrue(maxLag < Duration.ofHours(1).toSeconds(), "outbox lag " + maxLag + " s");
    }

    /** Reserves racing across the threshold (sharing statements, issue 13) still publish exactly one credits.low. */
    @Test
    void concurrentReservesAcrossTheThresholdPublishCreditsLowOnce() throws Exception {
        String org = newOrg();
        String ws = workspaceWithBalance(org, 30);
        try (TopicRecorder topic = TopicRecorder.fromEnd(CREDITS_TOPIC)) {
            ExecutorService clients = Executors.newFixedThreadPool(16);
            try {
                List<Future<Integer>> answers = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    answers.add(clients.submit(() -> reserve(ws, 1, "race-" + UUID.randomUUID()).statusCode()));
                }
                long reserved = 0;
                for (Future<Integer> answer : answers) {
                    int status = answer.get(60, TimeUnit.SECONDS);
                    assertTrue(status == 201 || status == 402, "status " + status);
                    reserved += status == 201 ? 1 : 0;
                }
                assertEquals(30, reserved);
            } finally {
                clients.shutdownNow();
            }
            topic.await(r -> about(r, ws, "credits.low"), WAIT, "credits.low for " + ws);
            // The relay publishes in commit order: once a later workspace's event has arrived, a second one for ws would have too.
            String later = workspaceWithBalance(org, 10);
            reserve(later, 5, "later-" + UUID.randomUUID()).then().statusCode(201);
            topic.await(r -> about(r, later, "credits.low"), WAIT, "credits.low for " + later);
            List<Long> balances = topic.events().stream().filter(r -> about(r, ws, "credits.low"))
                    .map(r -> number(r.json().get("balance"))).toList();
            assertEquals(1, balances.size(), balances::toString);
            assertTrue(balances.get(0) < 10, balances::toString);
        }
    }

    @Test
    void aRefusedReservationPublishesNothing() {
        String org = newOrg();
        String ws = workspaceWithBalance(org, 10);
        try (TopicRecorder topic = TopicRecorder.fromEnd(CREDITS_TOPIC)) {
            reserve(ws, 11, "refused-" + UUID.randomUUID()).then().statusCode(402);
            // The relay publishes in commit order: once a later credits.low has arrived, one for ws would have too.
            String later = workspaceWithBalance(org, 10);
            reserve(later, 5, "later-" + UUID.randomUUID()).then().statusCode(201);
            topic.await(r -> about(r, later, "credits.low"), WAIT, "credits.low for " + later);
            assertTrue(topic.events().stream().noneMatch(r -> ws.equals(r.key())), () -> topic.events().toString());
        }
    }
}
