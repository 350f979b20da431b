package dev.postgate.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.postgate.common.testing.ServiceProcess;

/**
 * One packaged instance of each service, wired to each other, behind the nginx proxy of
 * deploy/local: the stack most ITs call through. Each service takes the environment the test
 * gives it; a start that fails stops what had started.
 */
final class ProxiedStack implements AutoCloseable {
    final ServiceProcess keys;
    final ServiceProcess workspaces;
    final ServiceProcess publish;
    final Proxy proxy;

    private ProxiedStack(ServiceProcess keys, ServiceProcess workspaces, ServiceProcess publish, Proxy proxy) {
        this.keys = keys;
        this.workspaces = workspaces;
        this.publish = publish;
        this.proxy = proxy;
    }

    /** A stack whose processes are named {@code <name>-key-service} and so on. */
    static Builder named(String name) {
        return new Builder(name);
    }

    static final class Builder {
        private final String name;
        private final Map<String, String> keysEnv = new LinkedHashMap<>();
        private final Map<String, String> workspacesEnv = new LinkedHashMap<>();
        private final Map<String, String> publishEnv = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = name;
        }

        Builder keysEnv(String key, String value) {
            keysEnv.put(key, value);
            return this;
        }

        Builder workspacesEnv(String key, String value) {
            workspacesEnv.put(key, value);
            return this;
        }

        Builder publishEnv(String key, String value) {
            publishEnv.put(key, value);
            return this;
        }

        /** The same variables for all three services. */
        Builder everyEnv(Map<String, String> env) {
            keysEnv.putAll(env);
            workspacesEnv.putAll(env);
            publishEnv.putAll(env);
            return this;
        }

        ProxiedStack start() {
            List<AutoCloseable> started = new ArrayList<>();
            try {
                ServiceProcess keys = with(ServiceProcess.of("key-service").name(name + "-key-service"), keysEnv).start();
                started.add(0, keys);
                ServiceProcess workspaces = with(ServiceProcess.of("workspace-service").name(name + "-workspace-service")
                        .keyService(keys.baseUrl()), workspacesEnv).start();
                started.add(0, workspaces);
                ServiceProcess publish = with(ServiceProcess.of("publish-service").name(name + "-publish-service")
                        .keyService(keys.baseUrl()).workspaceService(workspaces.baseUrl()), publishEnv).start();
                started.add(0, publish);
                return new ProxiedStack(keys, workspaces, publish, Proxy.start(List.of(keys), List.of(workspaces), List.of(publish)));
            } catch (RuntimeException e) {
                closeAll(started, e);
                throw e;
            }
        }

        private static ServiceProcess.Builder with(ServiceProcess.Builder builder, Map<String, String> env) {
            env.forEach(builder::env);
            return builder;
        }
    }

    /** Stops the proxy, then the services in the reverse order of their start. */
    @Override
    public void close() {
        IllegalStateException failure = new IllegalStateException("stopping the " + keys.name() + " stack failed");
        closeAll(List.of(proxy, publish, workspaces, keys), failure);
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }

    private static void closeAll(List<AutoCloseable> parts, Exception failure) {
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }
}
