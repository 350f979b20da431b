package dev.postgate.common.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * For @QuarkusTests of publish-service: a real key-service and a real workspace-service (the
 * packaged jars of this build), once per test JVM, and the service under test pointed at both.
 * Tests set up workspaces, accounts and credits through workspace-service's API ({@link #url()}).
 */
public class WorkspaceServiceResource implements QuarkusTestResourceLifecycleManager {
    private static final String NAME = "workspace-service-for-tests";
    private final KeyServiceResource keyService = new KeyServiceResource();

    @Override
    public synchronized Map<String, String> start() {
        Map<String, String> keyConfig = keyService.start();
        if (ServiceProcess.runningInThisJvm(NAME) == null) {
            ServiceProcess.of("workspace-service").name(NAME)
                    .keyService(KeyServiceResource.url())
                    .env("POSTGATE_KEY_CLIENT_CALL_TIMEOUT", KeyServiceResource.BUSY_MACHINE_CALL_TIMEOUT).start().keepForThisJvm();
        }
        return Map.of("postgate.services.key-service", keyConfig.get("postgate.services.key-service"),
                "postgate.key-client.call-timeout", KeyServiceResource.BUSY_MACHINE_CALL_TIMEOUT,
                "postgate.services.workspace-service", url());
    }

    public static String url() {
        return ServiceProcess.runningInThisJvm(NAME);
    }

    @Override
    public void stop() {
        // Kept for the whole test JVM; stopped by the shutdown hook.
    }
}
