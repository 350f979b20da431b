package dev.postgate.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.postgate.common.testing.ServiceProcess;
import dev.postgate.common.testing.TestKeys;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.Tokens;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/**
 * What costs a customer credits, as a client sees it (issue 13): {@code POST
 * /api/v1/posts/{id}/publish} with 1 and with 20 targets, and {@code POST
 * /api/v1/content/generate} (the built-in offline caption provider), one at a time on warm
 * services, then captions from many clients on ONE workspace. Each figure stands beside two
 * references measured in the same run on the same instance: {@code GET /q/health/live} (no
 * authentication, no database) and {@code GET /api/v1/whoami} with a warm key (authentication
 * only), so the ratios read through the machine's noise.
 */
final class PaidWorkBench {
    private static final int WARM_UP = 30;
    /** Before the one-at-a-time rounds: at least and at most this long with this many clients on every measured path. */
    private static final int WARM_UP_MIN_SECONDS = 20;
    private static final int WARM_UP_MAX_SECONDS = 300;
    private static final int WARM_UP_CLIENTS = 8;
    private static final int BACKLOG_LIMIT = 200;
    private static final int DRAIN_SECONDS = 120;
    /** Once the worker has sent what was published (at most DRAIN_SECONDS), this long more for it to go idle. */
    private static final int SETTLE_SECONDS = 5;

    private PaidWorkBench() {
    }

    static String run(Path out, int samples, int clients, int seconds) {
        try (BenchStack stack = new BenchStack(1, 1)) {
            ServiceProcess workspaces = stack.workspaces.get(0);
            ServiceProcess publish = stack.publish.get(0);
            String org = TestKeys.newOrg();
            String admin = "Bearer " + Tokens.admin(org);
            String workspaceId = RestAssured.given().baseUri(workspaces.baseUrl()).header("Authorization", admin)
                    .contentType(ContentType.JSON).body(Map.of("name", "paid work")).post("/api/v1/workspaces")
                    .then().statusCode(201).extract().path("data.id");
            RestAssured.given().baseUri(workspaces.baseUrl()).header("Authorization", admin).contentType(ContentType.JSON)
                    .body(Map.of("amount", 1_000_000, "reason", "benchmark"))
                    .post("/api/v1/workspaces/" + workspaceId + "/credits/grants").then().statusCode(201);
            List<String> accounts = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                accounts.add(RestAssured.given().baseUri(workspaces.baseUrl()).header("Authorization", admin)
                        .contentType(ContentType.JSON).body(Map.of("platform", "linkedin", "name", "page " + i))
                        .post("/api/v1/workspaces/" + workspaceId + "/accounts").then().statusCode(201).extract().path("data.id"));
            }
            IssuedKey key = TestKeys.create(stack.keys.baseUrl(), org,
                    List.of("posts:write", "posts:publish", "posts:read", "content:generate"));
            Client client = new Client(publish.baseUrl(), key.bearer(), workspaceId);

            List<ServiceProcess> services = List.of(publish, workspaces);
            String warm = warmUp(services, client, accounts, workspaceId);
            Jit.Mark jit = Jit.mark(services);

            List<Long> health = new ArrayList<>();
            List<Long> whoami = new ArrayList<>();
            List<Long> publishOne = new ArrayList<>();
            List<Long> publishTwenty = new ArrayList<>();
            List<Long> caption = new ArrayList<>();
            // Interleaved, so that every figure meets the same moments of the machine's noise.
            for (int i = 0; i < WARM_UP + samples; i++) {
                boolean counted = i >= WARM_UP;
                record(counted, health, () -> client.expect(200, client.get("/q/health/live", false)));
                record(counted, whoami, () -> client.expect(200, client.get("/api/v1/whoami", true)));
                String one = client.draft(accounts.subList(0, 1));
                record(counted, publishOne, () -> client.accepted(client.post("/api/v1/posts/" + one + "/publish", "{}")));
                if (i % 2 == 0) {
                    String twenty = client.draft(accounts);
                    record(counted, publishTwenty, () -> client.accepted(client.post("/api/v1/posts/" + twenty + "/publish", "{}")));
                }
                String prompt = "{\"prompt\": \"a launch post " + i + "\"}";
                record(counted, caption, () -> client.expect(201, client.post("/api/v1/content/generate", prompt)));
            }

            String jitOneAtATime = jit.since().text();

            String drainedBeforeCaptions = drained(workspaceId);
            jit = Jit.mark(services);
            Concurrent captions = concurrentCaptions(client, clients, seconds);
            String jitCaptions = jit.since().text();
            long captionsBefore = captionsOf(workspaceId);
            jit = Jit.mark(services);
            AuthOverheadBench.WrkResult wrkCaptions = wrkCaptions(publish, key, workspaceId, clients, seconds);
            String jitWrk = jit.since().text();
            long captionsMade = captionsOf(workspaceId) - captionsBefore;
            String checked = settledAndBalanced(workspaceId);
            Stats healthStats = Stats.of(health);
            return "## 6. Paid work: publish and generate\n\n"
                    + String.format("One workspace with 20 sandbox accounts on one publish-service instance (and one "
                            + "workspace-service); per-key rate limit lifted (POSTGATE_KEY_CLIENT_RATE_LIMIT_PER_MINUTE), pools "
                            + "as the local stack's (20 connections per service). One at a time, %d samples after %d warm-up "
                            + "rounds, interleaved with the references, after a warm-up of %s; the publish answer is 202 once every target's credit is "
                            + "held (the worker sends in the background meanwhile), a caption's 201 once its text is recorded (its settle follows "
                            + "without the answer waiting, since 2026-12-04). Share of this part's time in which each "
                            + "service's JIT was compiling: %s.%n%n", samples, WARM_UP, warm, jitOneAtATime)
                    + Stats.header("request") + "\n"
                    + healthStats.row("reference: GET /q/health/live") + "\n"
                    + Stats.of(whoami).row("reference: GET /api/v1/whoami (warm key)") + "\n"
                    + Stats.of(publishOne).row("POST /posts/{id}/publish, 1 target") + "\n"
                    + Stats.of(publishTwenty).row("POST /posts/{id}/publish, 20 targets") + "\n"
                    + Stats.of(caption).row("POST /content/generate (caption)") + "\n\n"
                    + String.format("Captions from %d clients on ONE workspace for %d s, after %s: **%.0f/s**, p50 %.1f ms, p99 %.1f ms, "
                            + "%d non-201 (share of the time compiling: %s).%n%n", clients, seconds, drainedBeforeCaptions, captions.perSecond,
                            captions.stats.p50(), captions.stats.p99(), captions.failures, jitCaptions)
                    + String.format("The same captions from %d wrk connections (2 threads, a new prompt each, after 3 s of warm-up), "
                            + "a lighter load generator than the %d Java HTTP clients above (their JVM took 25–35 %% of one core in a "
                            + "top sample of that part, 2026-12-04): **%.0f/s**, p50 %.1f ms, p99 %.1f ms, %d non-201; %d captions recorded in the "
                            + "database by the warm-up and the run (%.0f/s over both). Afterwards, no reservation of the workspace is "
                            + "still held, every generation is finished, and the ledger sums to the balance: %s (share of the wrk "
                            + "part's time compiling: %s).%n%n", clients, clients,
                            wrkCaptions.rps(), wrkCaptions.p50(), wrkCaptions.p99(), wrkCaptions.non2xx(), captionsMade,
                            captionsMade / (seconds + 3.0), checked, jitWrk)
                    + "Targets: publish p50 ≤ 25 ms (1 target), ≤ 50 ms (20 targets); caption p50 ≤ 20 ms; captions "
                    + "≥ 300/s with p99 ≤ 250 ms.\n\n";
        }
    }

    /**
     * Warm services: what is measured ran thousands of times first (30 rounds alone leave the
     * request paths interpreted or half compiled), from {@value #WARM_UP_CLIENTS} clients on every
     * measured path until the JIT compilers of both services have quietened ({@link Jit}). The
     * clients publish only while the worker's backlog is under {@value #BACKLOG_LIMIT} targets (a
     * publish is answered once its credits are held, and the sandbox sends more slowly than 8
     * clients publish), and the warm-up ends once the worker has sent everything, so that no
     * backlog is sent while anything is measured.
     */
    private static String warmUp(List<ServiceProcess> services, Client client, List<String> accounts, String workspaceId) {
        AtomicBoolean backlogged = new AtomicBoolean();
        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
        watcher.scheduleWithFixedDelay(() -> backlogged.set(backlog(workspaceId) >= BACKLOG_LIMIT), 0, 500, TimeUnit.MILLISECONDS);
        Jit.WarmUp warm;
        try {
            warm = Jit.warmUp(services, WARM_UP_CLIENTS, Duration.ofSeconds(WARM_UP_MIN_SECONDS),
                    Duration.ofSeconds(WARM_UP_MAX_SECONDS), stop -> {
                        String id = Thread.currentThread().getName();
                        for (long n = 0; !stop.getAsBoolean(); n++) {
                            try {
                                client.get("/api/v1/whoami", true);
                                if (!backlogged.get()) {
                                    client.post("/api/v1/posts/" + client.draft(accounts.subList(0, 1)) + "/publish", "{}");
                                    if (n % 4 == 0) {
                                        client.post("/api/v1/posts/" + client.draft(accounts) + "/publish", "{}");
                                    }
                                }
                                client.post("/api/v1/content/generate", "{\"prompt\": \"warm-up " + id + " " + n + "\"}");
                            } catch (RuntimeException e) {
                                // A failed warm-up call only warms less.
                            }
                        }
                    });
        } finally {
            watcher.shutdownNow();
        }
        return String.format("%s, %d clients publishing (while the worker's backlog was under %d targets) and generating on "
                + "every measured path, then %s", warm.describe(), WARM_UP_CLIENTS, BACKLOG_LIMIT, drained(workspaceId));
    }

    /** Waits (up to {@value #DRAIN_SECONDS} s) until the worker has sent the workspace's backlog, then {@value #SETTLE_SECONDS} s more. */
    private static String drained(String workspaceId) {
        long started = System.nanoTime();
        long deadline = started + Duration.ofSeconds(DRAIN_SECONDS).toNanos();
        long left;
        while ((left = backlog(workspaceId)) > 0 && System.nanoTime() < deadline) {
            RevocationBench.sleep(250);
        }
        String waited = String.format("%.0f s until the worker had sent what was published (%d targets left), then %d s more",
                (System.nanoTime() - started) / 1e9, left, SETTLE_SECONDS);
        RevocationBench.sleep(SETTLE_SECONDS * 1000L);
        return waited;
    }

    /** The workspace's targets not yet published or failed. */
    private static long backlog(String workspaceId) {
        try {
            return CreditsBench.count("select count(*) from publish_service.post_targets t join publish_service.posts p"
                    + " on p.id = t.post_id where p.workspace_id = ? and t.state not in ('published', 'failed')", workspaceId);
        } catch (Exception e) {
            throw new IllegalStateException("cannot count the worker's backlog", e);
        }
    }

    private interface Call {
        void run();
    }

    private static void record(boolean counted, List<Long> into, Call call) {
        long start = System.nanoTime();
        call.run();
        if (counted) {
            into.add((System.nanoTime() - start) / 1000);
        }
    }

    private record Concurrent(double perSecond, Stats stats, long failures) {
    }

    private static long captionsOf(String workspaceId) {
        try {
            return CreditsBench.count("select count(*) from publish_service.generations where workspace_id = ? and kind = 'caption'",
                    workspaceId);
        } catch (Exception e) {
            throw new IllegalStateException("cannot count the captions", e);
        }
    }

    /**
     * "yes" once nothing of the workspace is left reserved or unfinished and its ledger sums to its
     * balance. It waits up to 150 s: wrk drops its connections at the end of its run, which
     * abandons the generations then in flight, and the worker finishes those once their 60 s
     * lease runs out (as it would after a crash); it also sends what the publishes left.
     */
    private static String settledAndBalanced(String workspaceId) {
        try {
            long start = System.nanoTime();
            long deadline = start + Duration.ofSeconds(150).toNanos();
            while (true) {
                long reserved = CreditsBench.count("select count(*) from workspace_service.credit_reservations where workspace_id = ?"
                        + " and status = 'reserved'", workspaceId);
                long unfinished = CreditsBench.count("select count(*) from publish_service.generations where workspace_id = ?"
                        + " and state not in ('succeeded', 'failed')", workspaceId);
                long balance = CreditsBench.count("select balance from workspace_service.workspaces where id = ?", workspaceId);
                long ledger = CreditsBench.count("select coalesce(sum(amount), 0) from workspace_service.credit_ledger"
                        + " where workspace_id = ?", workspaceId);
                if (reserved == 0 && unfinished == 0 && balance == ledger) {
                    long interrupted = CreditsBench.count("select count(*) from publish_service.generations where workspace_id = ?"
                            + " and state = 'failed'", workspaceId);
                    return String.format("yes, after %d s (%d generations interrupted by wrk closing its connections ended "
                            + "failed and refunded)", Duration.ofNanos(System.nanoTime() - start).toSeconds(), interrupted);
                }
                if (System.nanoTime() > deadline) {
                    return String.format("NO (%d reservations still held, %d generations unfinished, balance %d, ledger sum %d)",
                            reserved, unfinished, balance, ledger);
                }
                Thread.sleep(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot check the workspace", e);
        }
    }

    /** Captions on the workspace from wrk: each request a new prompt, so none is an idempotent replay. */
    private static AuthOverheadBench.WrkResult wrkCaptions(ServiceProcess publish, IssuedKey key, String workspaceId, int connections,
            int seconds) {
        try {
            Path script = AuthOverheadBench.postScript("caption", Map.of("X-Workspace-Id", workspaceId),
                    "'{\"prompt\": \"wrk ' .. tid .. ' caption ' .. counter .. '\"}'");
            String url = publish.baseUrl() + "/api/v1/content/generate";
            AuthOverheadBench.wrk(url, key.bearer(), script, 3, connections);
            return AuthOverheadBench.wrk(url, key.bearer(), script, seconds, connections);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Concurrent concurrentCaptions(Client client, int clients, int seconds) {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong failures = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long warmUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        long end = warmUntil + Duration.ofSeconds(seconds).toNanos();
        AtomicLong counted = new AtomicLong();
        for (int c = 0; c < clients; c++) {
            int id = c;
            pool.submit(() -> {
                long n = 0;
                while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    int status;
                    try {
                        status = client.post("/api/v1/content/generate", "{\"prompt\": \"client " + id + " caption " + n++ + "\"}");
                    } catch (RuntimeException e) {
                        status = -1;
                    }
                    long done = System.nanoTime();
                    if (start >= warmUntil && done <= end) {
                        counted.incrementAndGet();
                        latencies.add((done - start) / 1000);
                        if (status != 201) {
                            failures.incrementAndGet();
                        }
                    }
                }
            });
        }
        pool.shutdown();
        try {
            pool.awaitTermination(seconds + 60L, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Concurrent(counted.get() / (double) seconds, Stats.of(latencies), failures.get());
    }

    /** One keep-alive HTTP/1.1 client with the key and the workspace. */
    private static final class Client {
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        private final String base;
        private final String bearer;
        private final String workspaceId;

        Client(String base, String bearer, String workspaceId) {
            this.base = base;
            this.bearer = bearer;
            this.workspaceId = workspaceId;
        }

        int get(String path, boolean authenticated) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).GET();
            if (authenticated) {
                request.header("Authorization", bearer).header("X-Workspace-Id", workspaceId);
            }
            return send(request.build()).statusCode();
        }

        int post(String path, String json) {
            return send(postRequest(path, json)).statusCode();
        }

        String draft(List<String> accounts) {
            String body = "{\"content\": \"benchmark post\", \"account_ids\": [\"" + String.join("\", \"", accounts) + "\"]}";
            HttpResponse<String> created = send(postRequest("/api/v1/posts", body));
            expect(201, created.statusCode());
            return io.restassured.path.json.JsonPath.from(created.body()).getString("data.id");
        }

        /** A publish is answered 202 (accepted, sent in the background) or 200 (already finished, e.g. in test mode). */
        void accepted(int status) {
            if (status != 202 && status != 200) {
                throw new IllegalStateException("publish answered " + status);
            }
        }

        void expect(int expected, int status) {
            if (status != expected) {
                throw new IllegalStateException("expected " + expected + ", got " + status);
            }
        }

        private HttpRequest postRequest(String path, String json) {
            return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                    .header("Authorization", bearer).header("X-Workspace-Id", workspaceId)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
        }

        private HttpResponse<String> send(HttpRequest request) {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(request.uri() + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
