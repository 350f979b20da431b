package dev.postgate.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.postgate.common.testing.ServiceProcess;
import dev.postgate.common.testing.TestKeys;
import dev.postgate.common.testing.TestKeys.IssuedKey;

/** The first request with a new key (a cache miss: one key-service round trip) against the next one (a hit). */
final class ColdVerifyBench {
    /** Misses before the measured ones: the miss path runs in both services a few hundred times, not 20. */
    private static final int WARM_UP_CLIENTS = 4;
    private static final int WARM_UP_KEYS = 150;

    private ColdVerifyBench() {
    }

    private static void warmUp(BenchStack stack, ServiceProcess target) {
        ExecutorService pool = Executors.newFixedThreadPool(WARM_UP_CLIENTS);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < WARM_UP_CLIENTS; c++) {
            clients.add(pool.submit(() -> {
                Http http = new Http();
                String org = TestKeys.newOrg();
                for (int i = 0; i < WARM_UP_KEYS; i++) {
                    IssuedKey key = TestKeys.create(stack.keys.baseUrl(), org, List.of("posts:read"));
                    http.get(target.baseUrl() + "/api/v1/whoami", key.bearer());
                    http.get(target.baseUrl() + "/api/v1/whoami", key.bearer());
                    TestKeys.revoke(stack.keys.baseUrl(), key);
                }
                return null;
            }));
        }
        pool.shutdown();
        try {
            for (Future<?> client : clients) {
                client.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the warm-up failed", e.getCause());
        }
    }

    static String run(Path out, int keys) {
        try (BenchStack stack = new BenchStack(0, 1)) {
            ServiceProcess target = stack.publish.get(0);
            String org = TestKeys.newOrg();
            Http http = new Http();
            warmUp(stack, target);
            List<Long> cold = new ArrayList<>();
            List<Long> warm = new ArrayList<>();
            for (int i = 0; i < keys + 20; i++) {
                IssuedKey key = TestKeys.create(stack.keys.baseUrl(), org, List.of("posts:read"));
                long start = System.nanoTime();
                int first = http.get(target.baseUrl() + "/api/v1/whoami", key.bearer());
                long coldMicros = (System.nanoTime() - start) / 1000;
                start = System.nanoTime();
                int second = http.get(target.baseUrl() + "/api/v1/whoami", key.bearer());
                long warmMicros = (System.nanoTime() - start) / 1000;
                if (first != 200 || second != 200) {
                    throw new IllegalStateException("new key answered " + first + "/" + second);
                }
                if (i >= 20) { // the first 20 warm up the JIT and the connection pools
                    cold.add(coldMicros);
                    warm.add(warmMicros);
                }
                TestKeys.revoke(stack.keys.baseUrl(), key); // stays under the 10-key limit
            }
            return "## 3. Verification on a cache miss\n\n"
                    + String.format("%d new keys, each asked once (miss: key-service verifies it) and then again (hit), "
                            + "client-side latency of the whole request on one publish-service instance, after %d misses from "
                            + "%d clients (new keys in organisations of their own) so that both services run the miss path "
                            + "compiled, and 20 unmeasured rounds.%n%n", keys, WARM_UP_CLIENTS * WARM_UP_KEYS, WARM_UP_CLIENTS)
                    + Stats.header("request") + "\n" + Stats.of(cold).row("first request (cache miss)") + "\n"
                    + Stats.of(warm).row("second request (cache hit)") + "\n\n";
        }
    }
}
