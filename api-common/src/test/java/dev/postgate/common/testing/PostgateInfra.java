package dev.postgate.common.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Test resource that makes sure the real PostgreSQL (role and databases) and the real Kafka
 * broker are up before a Quarkus test starts, by running {@code deploy/local/infra.sh}: a broker
 * already running is reused, a stopped one is started. Nothing is mocked.
 */
public class PostgateInfra implements QuarkusTestResourceLifecycleManager {
    private static volatile boolean ready;

    @Override
    public Map<String, String> start() {
        ensure();
        return Map.of();
    }

    public static synchronized void ensure() {
        if (ready) {
            return;
        }
        Path script = repositoryRoot().resolve("deploy/local/infra.sh");
        try {
            Process process = new ProcessBuilder("bash", script.toString()).inheritIO().start();
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException(script + " failed: PostgreSQL or Kafka could not be started (see its output)");
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        ready = true;
    }

    /**
     * The broker the tests use: 127.0.0.1 on {@code POSTGATE_KAFKA_PORT} (9092 by default), the
     * same variable deploy/local reads, so two checkouts can test side by side on their own brokers.
     */
    public static String kafkaBootstrap() {
        return "127.0.0.1:" + kafkaPort();
    }

    public static int kafkaPort() {
        String port = System.getenv("POSTGATE_KAFKA_PORT");
        return port == null || port.isBlank() ? 9092 : Integer.parseInt(port.trim());
    }

    /**
     * The database the tests use: {@code -Dpostgate.test.db} (integration tests set it), else
     * {@code POSTGATE_TEST_DB_NAME} (what the Quarkus tests read), else postgate_test.
     */
    public static String testDatabase() {
        String property = System.getProperty("postgate.test.db");
        if (property != null && !property.isBlank()) {
            return property;
        }
        String env = System.getenv("POSTGATE_TEST_DB_NAME");
        return env == null || env.isBlank() ? "postgate_test" : env.trim();
    }

    /** The checkout's root: the first parent of the working directory that holds deploy/local. */
    public static Path repositoryRoot() {
        Path dir = new File(System.getProperty("user.dir")).getAbsoluteFile().toPath();
        while (dir != null && !Files.isRegularFile(dir.resolve("deploy/local/infra.sh"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no deploy/local/infra.sh above " + System.getProperty("user.dir"));
        }
        return dir;
    }

    @Override
    public void stop() {
        // The broker and the database stay up for the next module; .ci/run stops what it started.
    }
}
