package dev.postgate.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
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
            String spends = spends(workspaces, workspaceId, service, grant, seconds);
            grant = balanceOf(workspaceId);
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
            ledgerSum = ledgerSumOf(workspaceId);
            boolean correct = balance == grant - charged && ledgerSum == balance && mismatches.get() == 0;
            return "## 4. Credits under contention\n\n" + spends
                    + "### Spends with client retries (Java HTTP clients)\n\n"
                    + String.format("%d concurrent clients reserving 1 credit at a time on ONE workspace for %d s through "
                            + "`POST /internal/v1/credits/reservations`, each reservation sent twice with the same idempotency key.%n%n",
                            clients, seconds)
                    + "| reservations | reservations/s | HTTP calls/s | distinct reservations charged | balance | ledger entries (this part) | ledger sum (all) | retries answered with another reservation |\n"
                    + "|---|---|---|---|---|---|---|---|\n"
                    + String.format("| %d | %.0f | %.0f | %d | %d (granted %d) | %d | %d | %d |%n%n", attempts.get(),
                            attempts.get() / elapsed, 2 * attempts.get() / elapsed, charged, balance, grant, ledgerEntries, ledgerSum,
                            mismatches.get())
                    + String.format("Correctness (balance = grant − charged, ledger sums to balance, every retry got the same reservation): **%s**.%n%n",
                            correct ? "yes" : "NO");
        }
    }

    static final int CEILING_CLIENTS = 32;

    /**
     * Issue 13's target: spends (one reservation of 1 credit each) per second on ONE workspace from
     * 32 wrk connections, beside the database's own ceiling measured in the same run (pgbench, 32
     * clients, the conditional {@code UPDATE ... RETURNING} on one row), before and after.
     */
    private static String spends(ServiceProcess workspaces, String workspaceId, String service, long grant, int seconds)
            throws Exception {
        Path script = AuthOverheadBench.postScript("reserve", Map.of(),
                "'{\"workspace_id\":\"%s\",\"amount\":1,\"idempotency_key\":\"%s-' .. tid .. '-' .. counter .. '\",\"reference\":\"bench\"}'"
                        .formatted(workspaceId, workspaceId));
        String url = workspaces.baseUrl() + "/internal/v1/credits/reservations";
        double before = ceiling(seconds);
        AuthOverheadBench.wrk(url, service, script, 5, CEILING_CLIENTS); // warm-up
        long warmupSpent = grant - balanceOf(workspaceId);
        AuthOverheadBench.WrkResult run = AuthOverheadBench.wrk(url, service, script, seconds, CEILING_CLIENTS);
        double after = ceiling(seconds);
        long balance = balanceOf(workspaceId);
        long reservations = count("select count(*) from workspace_service.credit_reservations where workspace_id = ?", workspaceId);
        long ledgerSum = ledgerSumOf(workspaceId);
        long spentInRun = grant - warmupSpent - balance;
        boolean correct = balance == grant - reservations && ledgerSum == balance && run.non2xx() == 0;
        double ceiling = (before + after) / 2;
        return String.format("### Spends (wrk) beside the database's ceiling%n%n"
                + "wrk, 2 threads, %d connections, %d s after a 5 s warm-up, each request one reservation of 1 credit with a new "
                + "idempotency key on ONE workspace; the ceiling is pgbench (%d clients, 2 threads, %d s, `UPDATE bench_ceiling SET "
                + "balance = balance - 1 WHERE id = 1 AND balance >= 1 RETURNING balance` on one row of the same database), run "
                + "just before and just after. workspace-service's reactive pool: %s connections (POSTGATE_DB_POOL_SIZE); one "
                + "instance; the rate limits do not apply to /internal.%n%n"
                + "| spends/s | p50 ms | p99 ms | non-2xx | ceiling before/s | ceiling after/s | ratio to the mean ceiling |%n"
                + "|---|---|---|---|---|---|---|%n"
                + "| %.0f | %.1f | %.1f | %d | %.0f | %.0f | **%.2f** |%n%n"
                + "Spent in the measured run: %d credits. Correctness (balance = grant − reservations = %d − %d, ledger sums to the "
                + "balance, no failed request): **%s**.%n%n",
                CEILING_CLIENTS, seconds, CEILING_CLIENTS, seconds,
                System.getenv().getOrDefault("POSTGATE_DB_POOL_SIZE", "20"),
                run.rps(), run.p50(), run.p99(), run.non2xx(), before, after, run.rps() / ceiling,
                spentInRun, grant, reservations, correct ? "yes" : "NO");
    }

    /** pgbench's transactions per second on the one-row conditional update. */
    static double ceiling(int seconds) throws Exception {
        try (Connection c = BenchStack.database(); Statement st = c.createStatement()) {
            st.execute("create table if not exists public.bench_ceiling (id int primary key, balance bigint not null)");
            st.execute("insert into public.bench_ceiling values (1, 1000000000) on conflict (id) do update set balance = 1000000000");
        }
        Path script = Files.createTempFile("ceiling", ".sql");
        Files.writeString(script, "UPDATE public.bench_ceiling SET balance = balance - 1 WHERE id = 1 AND balance >= 1 RETURNING balance;\n");
        Process process = new ProcessBuilder("pgbench", "-n", "-h", "127.0.0.1", "-U", "postgate", "-c", String.valueOf(CEILING_CLIENTS),
                "-j", "2", "-T", String.valueOf(seconds), "-f", script.toString(), BenchStack.DB)
                .redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        process.waitFor(seconds + 60L, TimeUnit.SECONDS);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("tps = ([0-9.]+)").matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("pgbench gave no tps:\n" + output);
        }
        return Double.parseDouble(m.group(1));
    }

    private static long balanceOf(String workspaceId) throws Exception {
        return count("select balance from workspace_service.workspaces where id = ?", workspaceId);
    }

    private static long ledgerSumOf(String workspaceId) throws Exception {
        return count("select coalesce(sum(amount), 0) from workspace_service.credit_ledger where workspace_id = ?", workspaceId);
    }

    static long count(String sql, String param) throws Exception {
        try (Connection c = BenchStack.database(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, param);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
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
