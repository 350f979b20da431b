package dev.postgate.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.postgate.common.testing.ServiceProcess;
import dev.postgate.common.testing.TestKeys;
import dev.postgate.common.testing.Tokens;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/**
 * Reservations per second on one workspace from many concurrent clients (the workspace row is
 * the point of contention), each reservation sent twice with the same idempotency key as a
 * client retry would; at the end, the balance and the ledger must account for every credit.
 */
final class CreditsBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CreditsBench() {
    }

    static String run(Path out, int clients, int seconds) throws Exception {
        try (BenchStack stack = new BenchStack(1, 0)) {
            ServiceProcess workspaces = stack.workspaces.get(0);
            String org = TestKeys.newOrg();
            String admin = "Bearer " + Tokens.admin(org);
            long grant = 1_000_000;
            String workspaceId = RestAssured.given().baseUri(workspaces.baseUrl()).header("Authorization", admin)
                    .contentType(ContentType.JSON).body(Map.of("name", "bench")).post("/api/v1/workspaces")
                    .then().statusCode(201).extract().path("data.id");
            RestAssured.given().baseUri(workspaces.baseUrl()).header("Authorization", admin).contentType(ContentType.JSON)
                    .body(Map.of("amount", grant, "reason", "benchmark")).post("/api/v1/workspaces/" + workspaceId + "/credits/grants")
                    .then().statusCode(201);
            String service = "Bearer " + Tokens.service("publish-service");
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong attempts = new AtomicLong();
            AtomicLong sequence = new AtomicLong();
            Set<String> reservationIds = ConcurrentHashMap.newKeySet();
            AtomicLong mismatches = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            long started = System.nanoTime();
            for (int c = 0; c < clients; c++) {
                pool.submit(() -> {
                    Http http = new Http();
                    while (running.get()) {
                        String idem = workspaceId + "-" + sequence.incrementAndGet(); // unique across runs
                        String body = "{\"workspace_id\":\"" + workspaceId + "\",\"amount\":1,\"idempotency_key\":\"" + idem
                                + "\",\"reference\":\"bench\"}";
                        String first = http.postJsonBody(workspaces.baseUrl() + "/internal/v1/credits/reservations", service, body);
                        String retry = http.postJsonBody(workspaces.baseUrl() + "/internal/v1/credits/reservations", service, body);
                        attempts.incrementAndGet();
                        String a = id(first);
                        String b = id(retry);
                        if (a != null) {
                            reservationIds.add(a);
                        }
                        if (a == null || !a.equals(b)) {
                            mismatches.incrementAndGet();
                        }
                    }
                });
            }
            Thread.sleep(seconds * 1000L);
            running.set(false);
            pool.shutdown();
            pool.awaitTermination(30, TimeUnit.SECONDS);
            double elapsed = (System.nanoTime() - started) / 1e9;

            long balance = ((Number) RestAssured.given().baseUri(workspaces.baseUrl()).header("Authorization", admin)
                    .get("/api/v1/workspaces/" + workspaceId).then().statusCode(200).extract().path("data.balance")).longValue();
            long ledgerSum = 0;
            long ledgerEntries = 0;
            String cursor = null;
            do {
                var page = RestAssured.given().baseUri(workspaces.baseUrl()).header("Authorization", admin)
                        .queryParam("limit", 100).queryParams(cursor == null ? Map.of() : Map.of("cursor", cursor))
                        .get("/api/v1/workspaces/" + workspaceId + "/ledger").then().statusCode(200).extract();
                List<Number> amounts = page.path("data.amount");
                for (Number amount : amounts) {
                    ledgerSum += amount.longValue();
                    ledgerEntries++;
                }
                cursor = page.path("meta.next_cursor");
            } while (cursor != null);
            long charged = reservationIds.size();
            boolean correct = balance == grant - charged && ledgerSum == balance && mismatches.get() == 0;
            return "## 4. Credits under contention\n\n"
                    + String.format("%d concurrent clients reserving 1 credit at a time on ONE workspace for %d s through "
                            + "`POST /internal/v1/credits/reservations`, each reservation sent twice with the same idempotency key.%n%n",
                            clients, seconds)
                    + "| reservations | reservations/s | HTTP calls/s | distinct reservations charged | balance | ledger entries | ledger sum | retries answered with another reservation |\n"
                    + "|---|---|---|---|---|---|---|---|\n"
                    + String.format("| %d | %.0f | %.0f | %d | %d (granted %d) | %d | %d | %d |%n%n", attempts.get(),
                            attempts.get() / elapsed, 2 * attempts.get() / elapsed, charged, balance, grant, ledgerEntries, ledgerSum,
                            mismatches.get())
                    + String.format("Correctness (balance = grant − charged, ledger sums to balance, every retry got the same reservation): **%s**.%n%n",
                            correct ? "yes" : "NO");
        }
    }

    private static String id(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            JsonNode id = node.path("data").path("id");
            return id.isMissingNode() || id.isNull() ? null : id.asText();
        } catch (Exception e) {
            return null;
        }
    }

}
