package dev.postgate.common.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * For @QuarkusTests of the services that accept API keys: a real key-service (the packaged jar
 * of this build) on a free port, once per test JVM; the service under test is pointed at it.
 * Tests create keys through its API ({@link #url()}) with dashboard tokens.
 */
public class KeyServiceResource implements QuarkusTestResourceLifecycleManager {
    private static final String NAME = "key-service-for-tests";

    @Override
    public synchronized Map<String, String> start() {
        PostgateInfra.ensure();
        if (ServiceProcess.runningInThisJvm(NAME) == null) {
            ServiceProcess.of("key-service").name(NAME).start().keepForThisJvm();
        }
        return Map.of("postgate.services.key-service", url(),
                "postgate.key-client.call-timeout", BUSY_MACHINE_CALL_TIMEOUT);
    }

    /**
     * The service under test waits this long for key-service (2 s in production): on a busy 2-core
     * machine a verification can take longer, and the answer would be a 503 the test did not ask for.
     */
    static final String BUSY_MACHINE_CALL_TIMEOUT = "15s";

    public static String url() {
        return ServiceProcess.runningInThisJvm(NAME);
    }

    @Override
    public void stop() {
        // Kept for the whole test JVM (several test classes share it); stopped by the shutdown hook.
    }
}
