package dev.postgate.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.postgate.common.testing.ServiceProcess;
import dev.postgate.common.testing.TestKeys;
import dev.postgate.common.testing.TestKeys.IssuedKey;

/** The first request with a new key (a cache miss: one key-service round trip) against the next one (a hit). */
final class ColdVerifyBench {
    private ColdVerifyBench() {
    }

    static String run(Path out, int keys) {
        try (BenchStack stack = new BenchStack(0, 1)) {
            ServiceProcess target = stack.publish.get(0);
            String org = TestKeys.newOrg();
            Http http = new Http();
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
                            + "client-side latency of the whole request on one publish-service instance.%n%n", keys)
                    + Stats.header("request") + "\n" + Stats.of(cold).row("first request (cache miss)") + "\n"
                    + Stats.of(warm).row("second request (cache hit)") + "\n\n";
        }
    }
}
