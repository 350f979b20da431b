package dev.postgate.publish;

import java.util.Map;

import dev.postgate.publish.publishing.SilentConnector;
import dev.postgate.publish.publishing.SlowConnector;
import dev.postgate.publish.publishing.StalledMetricsConnector;
import dev.postgate.publish.publishing.UnreachableConnector;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Short claims, and platforms that take their time: TikTok never answers ({@link SilentConnector}),
 * LinkedIn answers after 600 ms ({@link SlowConnector}), YouTube cannot be reached
 * ({@link UnreachableConnector}), Facebook publishes but never answers for metrics
 * ({@link StalledMetricsConnector}), which may take 1 s. A platform call may take 1 s, a worker's
 * claim holds for 3 s, and a call that keeps failing is given up after 8 s. A generation request's
 * claim holds for 1 ms: it runs out while the credits are reserved.
 */
public class ShortClaims implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("postgate.publish.connectors.platforms.tiktok", SilentConnector.NAME,
                "postgate.publish.connectors.platforms.linkedin", SlowConnector.NAME,
                "postgate.publish.connectors.platforms.youtube", UnreachableConnector.NAME,
                "postgate.publish.connectors.platforms.facebook", StalledMetricsConnector.NAME,
                "postgate.publish.connectors.metrics-time-limit", "1s",
                "postgate.publish.worker.platform-time-limit", "1s",
                "postgate.publish.worker.lease", "3s",
                "postgate.publish.worker.give-up-after", "8s",
                "postgate.publish.generation.lease", "1ms");
    }
}
