package dev.postgate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.postgate.common.testing.ServiceProcess;
import dev.postgate.common.testing.TestKeys;
import dev.postgate.common.testing.TestKeys.IssuedKey;

/**
 * Revoke-to-401 on every instance of both consuming services (two instances each), while
 * background traffic keeps them busy: for each revocation, the key is warm in every cache, the
 * revoke call answers at t0, and one poller per instance asks with the key about every
 * millisecond until it gets 401; the latency is that 401's arrival minus t0.
 */
final class RevocationBench {
    private RevocationBench() {
    }

    static String run(Path out, int revocations) throws Exception {
        try (BenchStack stack = new BenchStack(2, 2)) {
            List<ServiceProcess> instances = stack.consumers();
            String org = TestKeys.newOrg();
            List<IssuedKey> background = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                background.add(TestKeys.create(stack.keys.baseUrl(), org, List.of("posts:read")));
            }
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong backgroundRequests = new AtomicLong();
            ExecutorService load = Executors.newFixedThreadPool(2);
            for (int t = 0; t < 2; t++) {
                load.submit(() -> {
                    Http http = new Http();
                    while (running.get()) {
                        ServiceProcess target = instances.get(ThreadLocalRandom.current().nextInt(instances.size()));
                        IssuedKey key = background.get(ThreadLocalRandom.current().nextInt(background.size()));
                        http.get(target.baseUrl() + "/api/v1/whoami", key.bearer());
                        backgroundRequests.incrementAndGet();
                        sleep(10);
                    }
                });
            }

            Map<String, List<Long>> byInstance = new LinkedHashMap<>();
            instances.forEach(i -> byInstance.put(i.name(), Collections.synchronizedList(new ArrayList<>())));
            List<Long> all = Collections.synchronizedList(new ArrayList<>());
            ExecutorService pollers = Executors.newFixedThreadPool(instances.size());
            List<Http> clients = instances.stream().map(i -> new Http()).toList();
            Http admin = new Http();
            long started = System.nanoTime();
            int misses = 0;
            for (int n = 0; n < revocations; n++) {
                IssuedKey key = TestKeys.create(stack.keys.baseUrl(), org, List.of("posts:read"));
                for (int i = 0; i < instances.size(); i++) {
                    for (int warm = 0; warm < 2; warm++) {
                        if (clients.get(i).get(instances.get(i).baseUrl() + "/api/v1/whoami", key.bearer()) != 200) {
                            throw new IllegalStateException("a fresh key was not accepted by " + instances.get(i).name());
                        }
                    }
                }
                int status = admin.postJson(stack.keys.baseUrl() + "/api/v1/keys/" + key.id() + "/revoke",
                        "Bearer " + dev.postgate.common.testing.Tokens.admin(org), "{}");
                long t0 = System.nanoTime();
                if (status != 200) {
                    throw new IllegalStateException("revoke answered " + status);
                }
                List<Future<Long>> results = new ArrayList<>();
                for (int i = 0; i < instances.size(); i++) {
                    ServiceProcess instance = instances.get(i);
                    Http client = clients.get(i);
                    results.add(pollers.submit(() -> {
                        while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10)) {
                            if (client.get(instance.baseUrl() + "/api/v1/whoami", key.bearer()) == 401) {
                                return (System.nanoTime() - t0) / 1000;
                            }
                            pauseMicros(500);
                        }
                        return -1L;
                    }));
                }
                for (int i = 0; i < instances.size(); i++) {
                    long micros = results.get(i).get();
                    if (micros < 0) {
                        misses++;
                        continue;
                    }
                    byInstance.get(instances.get(i).name()).add(micros);
                    all.add(micros);
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            running.set(false);
            load.shutdown();
            load.awaitTermination(10, TimeUnit.SECONDS);
            pollers.shutdownNow();

            writeHistogram(out.resolve("revocation-latency.dat"), all);
            Stats overall = Stats.of(all);
            StringBuilder md = new StringBuilder();
            md.append("## 1. Revocation propagation (revoke → 401 on every instance)\n\n");
            md.append(String.format("%d revocations × %d instances (2 × workspace-service, 2 × publish-service), "
                    + "%d background requests (%.0f/s) during the run, %d instance(s) never refused within 10 s.%n%n",
                    revocations, instances.size(), backgroundRequests.get(), backgroundRequests.get() / seconds, misses));
            md.append("Latency from the revoke call's answer to the first 401 seen by a poller asking about every 0.5 ms "
                    + "(so it includes one request round trip).\n\n");
            md.append(Stats.header("instance")).append('\n');
            byInstance.forEach((name, values) -> md.append(Stats.of(values).row(name)).append('\n'));
            md.append(overall.row("**all**")).append("\n\n");
            md.append(String.format("Target p99 < 100 ms: **%s** (p99 %.1f ms).%n%n", overall.p99() < 100 ? "met" : "NOT met", overall.p99()));
            md.append("![Revocation latency histogram](plots/revocation-latency.png)\n\n");
            return md.toString();
        }
    }

    private static void writeHistogram(Path file, List<Long> micros) throws IOException {
        StringBuilder data = new StringBuilder("# latency_ms\n");
        for (long value : micros) {
            data.append(String.format("%.3f%n", value / 1000.0));
        }
        Files.writeString(file, data);
    }

    static void pauseMicros(long micros) {
        java.util.concurrent.locks.LockSupport.parkNanos(micros * 1000);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
