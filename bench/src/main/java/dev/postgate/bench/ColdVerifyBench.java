package dev.postgate.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.postgate.common.testing.ServiceProcess;
import dev.postgate.common.testing.TestKeys;
import dev.postgate.common.testing.TestKeys.IssuedKey;

/** The first request with a new key (a cache miss: one key-service round trip) against the next one (a hit). */
final class ColdVerifyBench {
    /** Clients missing before the measured misses, each with new keys in organisations of its own. */
    private static final int WARM_UP_CLIENTS = 8;
    private static final int KEYS_PER_WARM_UP_ORG = 100;
    /** Keys per organisation made ahead of the run: under key-service's active-key limit per organisation. */
    private static final int KEYS_PER_ORG = 8;

    private ColdVerifyBench() {
    }

    /** Misses from a few clients until both services' JIT compilers have quietened ({@link Jit}). */
    private static Jit.WarmUp warmUp(BenchStack stack, ServiceProcess target) {
        return Jit.warmUp(List.of(stack.keys, target), WARM_UP_CLIENTS, Duration.ofSeconds(20), Duration.ofSeconds(300), stop -> {
            Http http = new Http();
            String org = TestKeys.newOrg();
            for (int i = 1; !stop.getAsBoolean(); i++) {
                IssuedKey key = TestKeys.create(stack.keys.baseUrl(), org, List.of("posts:read"));
                http.get(target.baseUrl() + "/api/v1/whoami", key.bearer());
                http.get(target.baseUrl() + "/api/v1/whoami", key.bearer());
                TestKeys.revoke(stack.keys.baseUrl(), key);
                if (i % KEYS_PER_WARM_UP_ORG == 0) {
                    org = TestKeys.newOrg();
                }
            }
        });
    }

    static String run(Path out, int keys) {
        try (BenchStack stack = new BenchStack(0, 1)) {
            ServiceProcess target = stack.publish.get(0);
            String org = TestKeys.newOrg();
            Http http = new Http();
            Jit.WarmUp warmUp = warmUp(stack, target);
            // Keys made ahead, as most misses meet a key made long before (a new or restarted instance, an
            // entry past its time to live): no creation event is in flight while they are asked about.
            List<IssuedKey> madeAhead = new ArrayList<>();
            String aheadOrg = null;
            for (int i = 0; i < keys + 20; i++) {
                if (i % KEYS_PER_ORG == 0) {
                    aheadOrg = TestKeys.newOrg();
                }
                madeAhead.add(TestKeys.create(stack.keys.baseUrl(), aheadOrg, List.of("posts:read")));
            }
            RevocationBench.sleep(2_000);
            Jit.Mark measured = Jit.mark(List.of(stack.keys, target));
            List<Long> cold = new ArrayList<>();
            List<Long> warm = new ArrayList<>();
            List<Long> aheadCold = new ArrayList<>();
            List<Long> aheadWarm = new ArrayList<>();
            for (int i = 0; i < keys + 20; i++) {
                // The key made ahead goes first, after the previous round's revoke was confirmed everywhere.
                long[] ahead = missThenHit(http, target, madeAhead.get(i));
                IssuedKey key = TestKeys.create(stack.keys.baseUrl(), org, List.of("posts:read"));
                long[] fresh = missThenHit(http, target, key);
                if (i >= 20) { // the first 20 warm up the JIT and the connection pools
                    cold.add(fresh[0]);
                    warm.add(fresh[1]);
                    aheadCold.add(ahead[0]);
                    aheadWarm.add(ahead[1]);
                }
                TestKeys.revoke(stack.keys.baseUrl(), key); // stays under the 10-key limit
            }
            String jit = measured.since().text();
            for (IssuedKey key : madeAhead) {
                TestKeys.revoke(stack.keys.baseUrl(), key);
            }
            return "## 3. Verification on a cache miss\n\n"
                    + String.format("%d new keys of each kind below, each asked once (miss: key-service verifies it) and then again (hit), "
                            + "client-side latency of the whole request on one publish-service instance, after a warm-up of %s, "
                            + "%d clients missing with new keys in organisations of their own so that both services run the miss path "
                            + "compiled, and 20 unmeasured rounds. Share of the measured time in which each service's JIT was compiling: %s. Two kinds of key, alternating: one made 2 s or more before "
                            + "(as most misses meet a key: a new or restarted instance, an entry past its time to live), and "
                            + "one made just before its first request, so that the miss shares the two cores with the key's "
                            + "creation event on its way through the outbox, the broker and the instance's consumer.%n%n",
                            keys, warmUp.describe(), WARM_UP_CLIENTS, jit)
                    + Stats.header("request") + "\n" + Stats.of(aheadCold).row("first request (cache miss), key made before") + "\n"
                    + Stats.of(aheadWarm).row("second request (cache hit), key made before") + "\n"
                    + Stats.of(cold).row("first request (cache miss), key made just before") + "\n"
                    + Stats.of(warm).row("second request (cache hit), key made just before") + "\n\n"
                    + String.format("Target: cache-miss p99 ≤ 10 ms (issue 13): %s with a key made before (p99 %.1f ms), %s with a "
                            + "key made just before (p99 %.1f ms).%n%n",
                            met(Stats.of(aheadCold)), Stats.of(aheadCold).p99(), met(Stats.of(cold)), Stats.of(cold).p99());
        }
    }

    private static String met(Stats miss) {
        return miss.p99() <= 10.0 ? "**met**" : "**not met**";
    }

    /** Client-side microseconds of the first request with the key and of the next one. */
    private static long[] missThenHit(Http http, ServiceProcess target, IssuedKey key) {
        long start = System.nanoTime();
        int first = http.get(target.baseUrl() + "/api/v1/whoami", key.bearer());
        long coldMicros = (System.nanoTime() - start) / 1000;
        start = System.nanoTime();
        int second = http.get(target.baseUrl() + "/api/v1/whoami", key.bearer());
        long warmMicros = (System.nanoTime() - start) / 1000;
        if (first != 200 || second != 200) {
            throw new IllegalStateException("key answered " + first + "/" + second);
        }
        return new long[] {coldMicros, warmMicros};
    }
}
