package dev.postgate.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.ServiceProcess;
import dev.postgate.common.testing.TestDatabase;
import dev.postgate.common.testing.TestKeys;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.Tokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * What a user sees when parts fail: the Kafka broker stops during revocations, key-service dies
 * with events in its outbox, PostgreSQL restarts under load, a consuming service restarts.
 * Each test starts its own services and leaves the broker and the database running.
 * Run alone with {@code ./mvnw -pl integration-tests verify -Dgroups=fault} (after a package).
 */
@Tag("fault")
class FaultsIT {

    private static Response whoami(ServiceProcess service, IssuedKey key) {
        return given().baseUri(service.baseUrl()).header("Authorization", key.bearer()).get("/api/v1/whoami");
    }

    private static void awaitLive(ServiceProcess service) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> given().baseUri(service.baseUrl()).get("/q/health/group/kafka").statusCode() == 200);
    }

    @Test
    void revocationsDuringABrokerOutageAreNeverLostAndAreEnforcedWithinTheWindow() {
        try (ServiceProcess keys = ServiceProcess.of("key-service").name("fault-kafka-keys").start();
                ServiceProcess workspace = ServiceProcess.of("workspace-service").name("fault-kafka-workspace").keyService(keys.baseUrl()).start();
                ServiceProcess publish = ServiceProcess.of("publish-service").name("fault-kafka-publish").keyService(keys.baseUrl()).start()) {
            List<ServiceProcess> consumers = List.of(workspace, publish);
            consumers.forEach(FaultsIT::awaitLive);
            String org = TestKeys.newOrg();
            List<IssuedKey> revoked = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                revoked.add(TestKeys.create(keys.baseUrl(), org, List.of("posts:read")));
            }
            IssuedKey kept = TestKeys.create(keys.baseUrl(), org, List.of("posts:read"));
            for (ServiceProcess service : consumers) {
                revoked.forEach(k -> whoami(service, k).then().statusCode(200));
                whoami(service, kept).then().statusCode(200);
            }
            Map<TopicPartition, Long> before = KeyEventsTopic.endOffsets();

            KafkaBroker.stop();
            long lastRevocation;
            try {
                for (IssuedKey key : revoked) {
                    long start = System.nanoTime();
                    TestKeys.revoke(keys.baseUrl(), key);
                    assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "revoking works without Kafka");
                }
                lastRevocation = System.nanoTime();
                // Past the staleness window (5 s) plus the age of the last record seen (< 2 s): refused everywhere.
                sleepUntil(lastRevocation + Duration.ofSeconds(7).toNanos());
                for (ServiceProcess service : consumers) {
                    for (IssuedKey key : revoked) {
                        whoami(service, key).then().statusCode(401).body("error.reason", equalTo("revoked"));
                    }
                    // A key that was not revoked keeps working: verified per request while the stream is stale.
                    whoami(service, kept).then().statusCode(200);
                }
            } finally {
                KafkaBroker.start();
            }

            // The services recover by themselves, and the outbox delivers every revocation.
            consumers.forEach(FaultsIT::awaitLive);
            List<JsonNode> events = KeyEventsTopic.eventsSince(before, Duration.ofSeconds(60),
                    seen -> revoked.stream().allMatch(k -> KeyEventsTopic.hasEvent(seen, "api_key.revoked", k.id())));
            for (IssuedKey key : revoked) {
                assertTrue(KeyEventsTopic.hasEvent(events, "api_key.revoked", key.id()), "the revocation of " + key.id() + " was delivered");
            }
            IssuedKey after = TestKeys.create(keys.baseUrl(), org, List.of("posts:read"));
            whoami(publish, after).then().statusCode(200);
            TestKeys.revoke(keys.baseUrl(), after);
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                    .untilAsserted(() -> whoami(publish, after).then().statusCode(401));
        }
    }

    @Test
    void eventsLeftInTheOutboxOfAKilledKeyServiceAreDeliveredAfterItsRestart() {
        ServiceProcess keys = ServiceProcess.of("key-service").name("fault-relay-keys").start();
        try (ServiceProcess publish = ServiceProcess.of("publish-service").name("fault-relay-publish").keyService(keys.baseUrl()).start()) {
            awaitLive(publish);
            String org = TestKeys.newOrg();
            IssuedKey first = TestKeys.create(keys.baseUrl(), org, List.of("posts:read"));
            IssuedKey second = TestKeys.create(keys.baseUrl(), org, List.of("posts:read"));
            Map<TopicPartition, Long> before = KeyEventsTopic.endOffsets();
            KafkaBroker.stop();
            try {
                TestKeys.revoke(keys.baseUrl(), first);
                TestKeys.revoke(keys.baseUrl(), second);
                keys.kill(); // the relay dies with both events unpublished
            } finally {
                KafkaBroker.start();
            }
            keys.restart();
            List<JsonNode> events = KeyEventsTopic.eventsSince(before, Duration.ofSeconds(60),
                    seen -> KeyEventsTopic.hasEvent(seen, "api_key.revoked", first.id())
                            && KeyEventsTopic.hasEvent(seen, "api_key.revoked", second.id()));
            assertTrue(KeyEventsTopic.hasEvent(events, "api_key.revoked", first.id()));
            assertTrue(KeyEventsTopic.hasEvent(events, "api_key.revoked", second.id()));
            awaitLive(publish);
            whoami(publish, first).then().statusCode(401).body("error.reason", equalTo("revoked"));
            whoami(publish, second).then().statusCode(401).body("error.reason", equalTo("revoked"));
        } finally {
            keys.stop();
        }
    }

    /**
     * A service told to stop (SIGTERM: a rolling deploy, a scale-down) finishes the requests it is
     * serving before it exits, and answers them. Here a key's rename waits for the key's row, held
     * by another transaction, while the service is told to stop; the row is let go a second later.
     * Found by review: with no shutdown timeout set, Quarkus exited at once, and the rename's
     * connection was closed without an answer (a 502 behind the proxy).
     */
    @Test
    void aServiceToldToStopAnswersTheRequestsItIsServing() throws Exception {
        ServiceProcess keys = ServiceProcess.of("key-service").name("fault-drain-keys").start();
        try {
            String org = TestKeys.newOrg();
            IssuedKey key = TestKeys.create(keys.baseUrl(), org, List.of("posts:read"));
            CompletableFuture<Response> rename;
            TestDatabase db = TestDatabase.schema("key_service");
            try (Connection holder = db.connect()) {
                holder.setAutoCommit(false);
                try (PreparedStatement lock = holder.prepareStatement("select 1 from key_service.api_keys where id = ? for update")) {
                    lock.setString(1, key.id());
                    lock.executeQuery().close();
                }
                rename = CompletableFuture.supplyAsync(() -> given().baseUri(keys.baseUrl())
                        .header("Authorization", "Bearer " + Tokens.admin(org)).contentType(ContentType.JSON)
                        .body(Map.of("name", "renamed while stopping")).patch("/api/v1/keys/" + key.id()));
                await().atMost(Duration.ofSeconds(30)).until(() -> db.number("select count(*) from pg_stat_activity where"
                        + " wait_event_type = 'Lock' and datname = current_database() and query like '%api_keys%'") > 0);
                CompletableFuture<Void> stopping = CompletableFuture.runAsync(keys::stop);
                sleep(1000);
                holder.rollback();
                stopping.get(60, TimeUnit.SECONDS);
            }
            Response answer = rename.get(30, TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode(), answer.asString());
            assertEquals("renamed while stopping", answer.path("data.name"));
        } finally {
            keys.stop();
        }
    }

    @Test
    void aRestartedConsumerStartsWithAnEmptyCacheAndStaysConsistent() {
        try (ServiceProcess keys = ServiceProcess.of("key-service").name("fault-restart-keys").start();
                ServiceProcess publish = ServiceProcess.of("publish-service").name("fault-restart-publish").keyService(keys.baseUrl()).start()) {
            awaitLive(publish);
            String org = TestKeys.newOrg();
            IssuedKey revokedWhileDown = TestKeys.create(keys.baseUrl(), org, List.of("posts:read"));
            IssuedKey kept = TestKeys.create(keys.baseUrl(), org, List.of("posts:read"));
            whoami(publish, revokedWhileDown).then().statusCode(200);
            whoami(publish, kept).then().statusCode(200);
            publish.stop();
            TestKeys.revoke(keys.baseUrl(), revokedWhileDown);
            publish.restart();
            whoami(publish, revokedWhileDown).then().statusCode(401).body("error.reason", equalTo("revoked"));
            whoami(publish, kept).then().statusCode(200);
            awaitLive(publish);
            TestKeys.revoke(keys.baseUrl(), kept);
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                    .untilAsserted(() -> whoami(publish, kept).then().statusCode(401).body("error.reason", equalTo("revoked")));
        }
    }

    @Test
    void aDatabaseRestartUnderLoadLeavesNoPartialCreditStateAndTheServicesRecover() throws Exception {
        try (ServiceProcess keys = ServiceProcess.of("key-service").name("fault-pg-keys").start();
                ServiceProcess workspaces = ServiceProcess.of("workspace-service").name("fault-pg-workspaces").keyService(keys.baseUrl()).start()) {
            String org = TestKeys.newOrg();
            String admin = "Bearer " + Tokens.admin(org);
            int granted = 400;
            String workspaceId = given().baseUri(workspaces.baseUrl()).header("Authorization", admin).contentType(ContentType.JSON)
                    .body(Map.of("name", "fault")).post("/api/v1/workspaces").then().statusCode(201).extract().path("data.id");
            given().baseUri(workspaces.baseUrl()).header("Authorization", admin).contentType(ContentType.JSON)
                    .body(Map.of("amount", granted, "reason", "fault test")).post("/api/v1/workspaces/" + workspaceId + "/credits/grants")
                    .then().statusCode(201);
            String service = "Bearer " + Tokens.service("publish-service");

            Map<String, Integer> lastStatus = new ConcurrentHashMap<>();
            Set<Integer> statusesSeen = ConcurrentHashMap.newKeySet();
            List<String> idempotencyKeys = new CopyOnWriteArrayList<>();
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService clients = Executors.newFixedThreadPool(6);
            for (int c = 0; c < 6; c++) {
                int client = c;
                clients.submit(() -> {
                    for (int n = 0; running.get() && n < 100; n++) {
                        String idem = workspaceId + "-" + client + "-" + n; // unique across runs of the suite
                        idempotencyKeys.add(idem);
                        int status = reserve(workspaces, service, workspaceId, idem).statusCode();
                        lastStatus.put(idem, status);
                        statusesSeen.add(status);
                        sleep(20);
                    }
                });
            }
            sleep(500);
            restartPostgres();
            sleep(500);
            running.set(false);
            clients.shutdown();
            assertTrue(clients.awaitTermination(60, TimeUnit.SECONDS));

            assertFalse(statusesSeen.contains(500), "no request answered 500 while the database restarted: " + statusesSeen);
            await().atMost(Duration.ofSeconds(60)).until(() -> workspaces.status("/q/health/ready") == 200);
            await().atMost(Duration.ofSeconds(60)).until(() -> keys.status("/q/health/ready") == 200);

            // Retrying every reservation whose answer was lost gives a definite answer, charging at most once.
            Map<String, String> reservationIds = new HashMap<>();
            for (String idem : idempotencyKeys) {
                Response response = reserve(workspaces, service, workspaceId, idem);
                assertTrue(response.statusCode() == 201 || response.statusCode() == 402, idem + " → " + response.asString());
                if (response.statusCode() == 201) {
                    reservationIds.put(idem, response.path("data.id"));
                }
            }
            long charged = reservationIds.values().stream().distinct().count();
            long balance = ((Number) given().baseUri(workspaces.baseUrl()).header("Authorization", admin)
                    .get("/api/v1/workspaces/" + workspaceId).then().statusCode(200).extract().path("data.balance")).longValue();
            assertEquals(granted - charged, balance, "every charged credit is one reservation, no more, no fewer");
            assertTrue(balance >= 0);
            long ledgerSum = 0;
            String cursor = null;
            do {
                var page = given().baseUri(workspaces.baseUrl()).header("Authorization", admin).queryParam("limit", 100)
                        .queryParams(cursor == null ? Map.of() : Map.of("cursor", cursor))
                        .get("/api/v1/workspaces/" + workspaceId + "/ledger").then().statusCode(200).extract();
                for (Number amount : page.<List<Number>>path("data.amount")) {
                    ledgerSum += amount.longValue();
                }
                cursor = page.path("meta.next_cursor");
            } while (cursor != null);
            assertEquals(balance, ledgerSum, "the ledger sums to the balance");
            // key-service recovered too.
            TestKeys.create(keys.baseUrl(), org, List.of("posts:read"));
        }
    }

    /**
     * Found by review (left open at stop 52): a publish whose reserve workspace-service made but
     * whose answer never reached publish-service (here a 502 from a gateway between them) was 503,
     * and the publish sent again reserved under new keys while the first holds held the credits
     * for 15 minutes: with a balance that pays for the post exactly, a wrong 402. Only "no answer
     * at all" repeated the keys. Now every answer but a refusal of the keys themselves does: the
     * publish sent again gets the very holds made, and the post is charged once.
     */
    @Test
    void aPublishWhoseReserveAnswerWasLostIsPublishedOnItsHoldsWhenSentAgain() throws Exception {
        try (ServiceProcess keys = ServiceProcess.of("key-service").name("fault-lost-keys").start();
                ServiceProcess workspaces = ServiceProcess.of("workspace-service").name("fault-lost-workspaces")
                        .keyService(keys.baseUrl()).start();
                DelayingProxy gateway = new DelayingProxy(workspaces.baseUrl(), "/none", Duration.ZERO);
                ServiceProcess publish = ServiceProcess.of("publish-service").name("fault-lost-publish").keyService(keys.baseUrl())
                        .workspaceService(gateway.baseUrl()).start()) {
            String org = TestKeys.newOrg();
            String admin = "Bearer " + Tokens.admin(org);
            String workspace = given().baseUri(workspaces.baseUrl()).header("Authorization", admin).contentType(ContentType.JSON)
                    .body(Map.of("name", "lost answers")).post("/api/v1/workspaces").then().statusCode(201).extract().path("data.id");
            given().baseUri(workspaces.baseUrl()).header("Authorization", admin).contentType(ContentType.JSON)
                    .body(Map.of("amount", 1, "reason", "exactly one post")).post("/api/v1/workspaces/" + workspace + "/credits/grants")
                    .then().statusCode(201);
            String account = given().baseUri(workspaces.baseUrl()).header("Authorization", admin).contentType(ContentType.JSON)
                    .body(Map.of("platform", "linkedin", "name", "page")).post("/api/v1/workspaces/" + workspace + "/accounts")
                    .then().statusCode(201).extract().path("data.id");
            IssuedKey key = TestKeys.create(keys.baseUrl(), org, List.of("posts:write", "posts:publish", "posts:read"));
            String post = given().baseUri(publish.baseUrl()).header("Authorization", key.bearer()).header("X-Workspace-Id", workspace)
                    .contentType(ContentType.JSON).body(Map.of("content", "lost on the way", "account_ids", List.of(account)))
                    .post("/api/v1/posts").then().statusCode(201).extract().path("data.id");

            gateway.loseNextAnswerTo("/internal/v1/credits/reservations/batch");
            Response lost = given().baseUri(publish.baseUrl()).header("Authorization", key.bearer()).header("X-Workspace-Id", workspace)
                    .contentType(ContentType.JSON).body("{}").post("/api/v1/posts/" + post + "/publish");
            assertEquals(503, lost.statusCode(), lost.asString());
            assertEquals("draft", given().baseUri(publish.baseUrl()).header("Authorization", key.bearer())
                    .header("X-Workspace-Id", workspace).get("/api/v1/posts/" + post).path("data.status"));

            Response again = given().baseUri(publish.baseUrl()).header("Authorization", key.bearer()).header("X-Workspace-Id", workspace)
                    .contentType(ContentType.JSON).body("{}").post("/api/v1/posts/" + post + "/publish");
            assertEquals(202, again.statusCode(), "sent again, on the hold the lost answer made: " + again.asString());
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> "published".equals(
                    given().baseUri(publish.baseUrl()).header("Authorization", key.bearer()).header("X-Workspace-Id", workspace)
                            .get("/api/v1/posts/" + post).path("data.status")));
            Number balance = given().baseUri(workspaces.baseUrl()).header("Authorization", admin)
                    .get("/api/v1/workspaces/" + workspace).then().statusCode(200).extract().path("data.balance");
            assertEquals(0, balance.intValue(), "charged once");
        }
    }

    private static Response reserve(ServiceProcess workspaces, String service, String workspaceId, String idem) {
        return given().baseUri(workspaces.baseUrl()).header("Authorization", service).contentType(ContentType.JSON)
                .body(Map.of("workspace_id", workspaceId, "amount", 1, "idempotency_key", idem, "reference", "fault"))
                .post("/internal/v1/credits/reservations");
    }

    private static void restartPostgres() throws Exception {
        Path script = PostgateInfra.repositoryRoot().resolve("deploy/local/postgres.sh");
        Process process = new ProcessBuilder("bash", script.toString(), "restart").inheritIO().start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS) && process.exitValue() == 0, "PostgreSQL restarted");
    }

    private static void sleepUntil(long nanoTime) {
        while (System.nanoTime() < nanoTime) {
            sleep(50);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
