package dev.postgate.keys;

import java.util.Map;

import dev.postgate.common.testing.PostgateInfra;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The shared infra resource, declared in this module: Quarkus 3.34 loads a test resource named
 * by a class of another module's test-jar outside the application's class loader (so it cannot be
 * cast to {@link QuarkusTestResourceLifecycleManager}); this one only delegates.
 */
public class KeyServiceInfra implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        PostgateInfra.ensure();
        return Map.of();
    }

    @Override
    public void stop() {
        // PostgreSQL and Kafka stay up for the next module.
    }
}
