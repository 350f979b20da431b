package dev.postgate.common.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * For @QuarkusTests of publish-service: a real key-service and a real workspace-service (the
 * packaged jars of this build), once per test JVM, and the service under test pointed at both.
 * Tests set up workspaces, accounts and credits through workspace-service's API ({@link #url()}).
 */
public class WorkspaceServiceResource implements QuarkusTestResourceLifecycleManager {
    private static ServiceProcess workspaceService;
    private final KeyServiceResource keyService = new KeyServiceResource();

    @Override
    public synchronized Map<String, String> start() {
        Map<String, String> keyConfig = keyService.start();
        if (workspaceService == null || !workspaceService.isAlive()) {
            workspaceService = ServiceProcess.of("workspace-service").name("workspace-service-for-tests")
                    .keyService(KeyServiceResource.url())
                    .env("POSTGATE_KEY_CLIENT_CALL_TIMEOUT", KeyServiceResource.BUSY_MACHINE_CALL_TIMEOUT).start();
            Runtime.getRuntime().addShutdownHook(new Thread(workspaceService::stop));
        }
        return Map.of("postgate.services.key-service", keyConfig.get("postgate.services.key-service"),
                "postgate.key-client.call-timeout", KeyServiceResource.BUSY_MACHINE_CALL_TIMEOUT,
                "postgate.services.workspace-service", workspaceService.baseUrl());
    }

    public static String url() {
        return workspaceService.baseUrl();
    }

    public static ServiceProcess process() {
        return workspaceService;
    }

    @Override
    public void stop() {
        // Kept for the whole test JVM; stopped by the shutdown hook.
    }
}
