package dev.postgate.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import dev.postgate.common.testing.ServiceProcess;
import dev.postgate.common.testing.TestKeys;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.Tokens;

/**
 * Each service's JVM start-up (launch → first 200 on /q/health/ready) and resident memory at rest
 * and under load, beside the same figures for a minimal Quarkus REST app (bench/minimal-app: one
 * quarkus-rest endpoint and the health extension), started the same way, with the same JDK and
 * JVM options, in the same run. Two more reference apps show what the services' Quarkus extensions
 * cost before any service code runs: bench/stack-floor-orm (every extension the services use, one
 * entity, one endpoint) and bench/stack-floor (the same without Hibernate ORM, Flyway and JDBC).
 * Starts alternate between the apps (round after round), so a change in the machine's load hits
 * every app alike.
 */
final class StartupBench {
    static final String REFERENCE = "minimal Quarkus REST app";
    static final String MINIMAL_APP = "bench/minimal-app";
    static final String FLOOR = "bench/stack-floor";
    static final String FLOOR_ORM = "bench/stack-floor-orm";
    /** The reference apps, in the table's order, and how the table names them. */
    static final Map<String, String> REFERENCES = new LinkedHashMap<>();
    static {
        REFERENCES.put(MINIMAL_APP, REFERENCE);
        REFERENCES.put(FLOOR, "floor: the services' extensions but Hibernate ORM, Flyway and JDBC; no service code");
        REFERENCES.put(FLOOR_ORM, "floor: every extension the services use, one entity; no service code");
    }
    /** Measured against the targets; key-service comes first, since the others' load needs its keys. */
    static final List<String> SERVICES = List.of("key-service", "workspace-service", "publish-service");
    static final List<String> APPS = Stream.concat(REFERENCES.keySet().stream(), SERVICES.stream()).toList();
    static final int CLIENTS = 16;

    private StartupBench() {
    }

    record Memory(long restKb, long loadKb, double requestsPerSecond) {
    }

    static String run(Path out, int starts) throws Exception {
        String[] jvm = BenchStack.JVM;
        Map<String, List<Long>> ready = new LinkedHashMap<>();
        APPS.forEach(app -> ready.put(app, new ArrayList<>()));
        for (int round = 0; round < starts; round++) {
            for (String app : APPS) {
                ServiceProcess started = launch(app, null);
                ready.get(app).add(started.startupMillis());
                started.stop();
            }
        }

        Map<String, Memory> memory = new LinkedHashMap<>();
        ServiceProcess keys = null;
        try {
            for (String app : APPS) {
                ServiceProcess started = launch(app, keys);
                Thread.sleep(10_000);
                long rest = started.rssKilobytes();
                Memory measured = underLoad(started, app, keys, rest);
                memory.put(app, measured);
                if (app.equals("key-service")) {
                    keys = started;
                } else {
                    started.stop();
                }
            }
        } finally {
            if (keys != null) {
                keys.stop();
            }
        }

        StringBuilder md = new StringBuilder("## 5. Start-up and memory (JVM mode)\n\n");
        md.append(String.format("Each app started %d times, alternating (`java %s%s -jar quarkus-run.jar`, the local stack's "
                + "options); start-up is from process launch to the first 200 on /q/health/ready (the services' database "
                + "schemas are migrated before the first start, so each start's Flyway run finds nothing to do, as on a "
                + "replica added to a running deployment). RSS from /proc after 10 s at rest, then after 15 s of load (%d concurrent clients: "
                + "`GET /api/v1/keys` with a dashboard token on key-service, `GET /api/v1/whoami` with a key on the consuming "
                + "services, `GET /hello` on the reference apps). The reference is a %s (`bench/minimal-app`: quarkus-rest and "
                + "smallrye-health); the two floors are apps with the services' Quarkus extensions and settings and no service code "
                + "(`bench/stack-floor-orm`: all of them, one entity read through Hibernate Reactive, one Flyway migration; "
                + "`bench/stack-floor`: the same without Hibernate ORM, Flyway and JDBC, one query on the reactive pool). "
                + "All built by `bench/run.sh`.%n%n", starts, String.join(" ", jvm),
                Boolean.parseBoolean(System.getProperty("bench.appcds", "true")) ? " -XX:SharedArchiveFile=<its AppCDS archive>" : "",
                CLIENTS, REFERENCE));
        md.append("| app | ready median ms | min–max ms | × reference | RSS at rest MiB | × reference | RSS under load MiB | × reference | requests/s under load |\n");
        md.append("|---|---|---|---|---|---|---|---|---|\n");
        long referenceReady = median(ready.get(MINIMAL_APP));
        Memory reference = memory.get(MINIMAL_APP);
        for (String app : APPS) {
            List<Long> times = new ArrayList<>(ready.get(app));
            times.sort(Long::compare);
            Memory m = memory.get(app);
            md.append(String.format("| %s | %d | %d–%d | %.2f | %.0f | %.2f | %.0f | %.2f | %.0f |%n",
                    REFERENCES.getOrDefault(app, app), median(times), times.get(0), times.get(times.size() - 1),
                    (double) median(times) / referenceReady, m.restKb() / 1024.0, (double) m.restKb() / reference.restKb(),
                    m.loadKb() / 1024.0, (double) m.loadKb() / reference.loadKb(), m.requestsPerSecond()));
        }
        md.append('\n');
        md.append(String.format("The floors are the price of the extensions alone: an app on every extension the services use, with no code "
                + "of its own, gets ready in %.2f× the reference (median; %.2f× without Hibernate ORM, Flyway and JDBC) and holds "
                + "%.0f MiB at rest (%.0f MiB).%n%n",
                (double) median(ready.get(FLOOR_ORM)) / referenceReady, (double) median(ready.get(FLOOR)) / referenceReady,
                memory.get(FLOOR_ORM).restKb() / 1024.0, memory.get(FLOOR).restKb() / 1024.0));
        md.append(String.format("Targets: ready ≤ 2× the reference (≤ 1.5 s if reachable), RSS at rest ≤ 200 MiB, under load ≤ 300 MiB. "
                + "Met: %s.%n%n", verdict(ready, memory, referenceReady)));
        return md.toString();
    }

    private static String verdict(Map<String, List<Long>> ready, Map<String, Memory> memory, long referenceReady) {
        List<String> missed = new ArrayList<>();
        for (String app : SERVICES) {
            long median = median(ready.get(app));
            if (median > 2 * referenceReady) {
                missed.add(app + " ready " + median + " ms > 2 × " + referenceReady + " ms");
            }
            if (memory.get(app).restKb() > 200 * 1024) {
                missed.add(app + " RSS at rest > 200 MiB");
            }
            if (memory.get(app).loadKb() > 300 * 1024) {
                missed.add(app + " RSS under load > 300 MiB");
            }
        }
        return missed.isEmpty() ? "**all**" : "**not all** (" + String.join("; ", missed) + ")";
    }

    private static ServiceProcess launch(String app, ServiceProcess keys) {
        ServiceProcess.Builder builder = ServiceProcess.of(app).name("bench-startup-" + app.replace('/', '-')).database(BenchStack.DB)
                .jvmOptions(BenchStack.jvm(app)).env("POSTGATE_KEY_CLIENT_RATE_LIMIT_PER_MINUTE", "1000000000");
        if (keys != null) {
            builder.keyService(keys.baseUrl());
        }
        return builder.start();
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(Long::compare);
        return sorted.get(sorted.size() / 2);
    }

    private static Memory underLoad(ServiceProcess service, String app, ServiceProcess keys, long restKb) throws Exception {
        String url;
        String authorization;
        if (app.equals("key-service")) {
            url = service.baseUrl() + "/api/v1/keys";
            authorization = "Bearer " + Tokens.admin(TestKeys.newOrg());
        } else if (REFERENCES.containsKey(app)) {
            url = service.baseUrl() + "/hello";
            authorization = null;
        } else {
            IssuedKey key = TestKeys.create(keys.baseUrl(), TestKeys.newOrg(), List.of("posts:read"));
            url = service.baseUrl() + "/api/v1/whoami";
            authorization = key.bearer();
        }
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong done = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        for (int i = 0; i < CLIENTS; i++) {
            pool.submit(() -> {
                Http http = new Http();
                while (running.get()) {
                    http.get(url, authorization);
                    done.incrementAndGet();
                }
            });
        }
        long started = System.nanoTime();
        Thread.sleep(15_000);
        long rss = service.rssKilobytes();
        double perSecond = done.get() / ((System.nanoTime() - started) / 1e9);
        running.set(false);
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        return new Memory(restKb, rss, perSecond);
    }
}
