package dev.postgate.bench;

import java.util.ArrayList;
import java.util.List;

import dev.postgate.common.testing.ServiceProcess;

/**
 * The packaged services as real processes with full JIT, against the real PostgreSQL (database
 * postgate_bench) and Kafka: one key-service and N instances of each consuming service. The
 * per-key rate limit is lifted so that load tests measure the service, not the limiter.
 */
final class BenchStack implements AutoCloseable {
    static final String DB = System.getenv().getOrDefault("POSTGATE_BENCH_DB_NAME", "postgate_bench");
    static final String[] JVM = { "-Xms256m", "-Xmx512m", "-XX:+UseG1GC" };

    final ServiceProcess keys;
    final List<ServiceProcess> workspaces = new ArrayList<>();
    final List<ServiceProcess> publish = new ArrayList<>();

    BenchStack(int workspaceInstances, int publishInstances) {
        keys = ServiceProcess.of("key-service").name("bench-key-service").database(DB).jvmOptions(JVM).start();
        for (int i = 1; i <= workspaceInstances; i++) {
            workspaces.add(consumer("workspace-service", "bench-workspace-" + i).start());
        }
        for (int i = 1; i <= publishInstances; i++) {
            publish.add(consumer("publish-service", "bench-publish-" + i)
                    .workspaceService(workspaces.isEmpty() ? "http://127.0.0.1:8082" : workspaces.get(0).baseUrl()).start());
        }
    }

    private ServiceProcess.Builder consumer(String module, String name) {
        return ServiceProcess.of(module).name(name).database(DB).jvmOptions(JVM).keyService(keys.baseUrl())
                .env("POSTGATE_KEY_CLIENT_RATE_LIMIT_PER_MINUTE", "1000000000");
    }

    List<ServiceProcess> consumers() {
        List<ServiceProcess> all = new ArrayList<>(workspaces);
        all.addAll(publish);
        return all;
    }

    @Override
    public void close() {
        consumers().forEach(ServiceProcess::stop);
        keys.stop();
    }
}
