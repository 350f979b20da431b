package dev.postgate.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
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
    /** deploy/local/stack's default POSTGATE_JAVA_OPTS (without the AppCDS archive, which {@link AppCds} adds). */
    static final String STACK_JVM_DEFAULT = "-XX:MaxRAM=768m -XX:MaxRAMPercentage=50 -XX:+UseSerialGC -XX:TrimNativeHeapInterval=5000";
    /** The services' JVM options: -Dbench.jvm (bench/run.sh: BENCH_JVM_OPTS), else the local stack's default. */
    static final String[] JVM = System.getProperty("bench.jvm", STACK_JVM_DEFAULT).trim().split("\\s+");

    final ServiceProcess keys;
    final List<ServiceProcess> workspaces = new ArrayList<>();
    final List<ServiceProcess> publish = new ArrayList<>();

    BenchStack(int workspaceInstances, int publishInstances) {
        emptyDatabase();
        keys = ServiceProcess.of("key-service").name("bench-key-service").database(DB).jvmOptions(jvm("key-service")).start();
        for (int i = 1; i <= workspaceInstances; i++) {
            workspaces.add(consumer("workspace-service", "bench-workspace-" + i).start());
        }
        for (int i = 1; i <= publishInstances; i++) {
            publish.add(consumer("publish-service", "bench-publish-" + i)
                    .workspaceService(workspaces.isEmpty() ? "http://127.0.0.1:8082" : workspaces.get(0).baseUrl()).start());
        }
    }

    /**
     * Every stack starts on an empty database, as a new deployment does (the services migrate it at
     * start): otherwise a section's publish worker would claim and send the targets an earlier
     * section left pending, in the background of what this one measures (2026-12-04: one paid run
     * left 36,000, and the next run's worker spent its whole run on them).
     */
    private static void emptyDatabase() {
        try (Connection db = database(); Statement st = db.createStatement()) {
            st.execute("drop schema if exists key_service, workspace_service, publish_service cascade");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot empty the benchmark database " + DB, e);
        }
    }

    /** A connection to the benchmark database, as the services' role. */
    static Connection database() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + DB, "postgate", "postgate");
    }

    private ServiceProcess.Builder consumer(String module, String name) {
        return ServiceProcess.of(module).name(name).database(DB).jvmOptions(jvm(module)).keyService(keys.baseUrl())
                .env("POSTGATE_KEY_CLIENT_RATE_LIMIT_PER_MINUTE", "1000000000");
    }

    /** The stack's options for a module, with its AppCDS archive unless -Dbench.appcds=false. */
    static String[] jvm(String module) {
        if (!Boolean.parseBoolean(System.getProperty("bench.appcds", "true"))) {
            return JVM;
        }
        try {
            return AppCds.with(module, JVM);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
