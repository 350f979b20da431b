package dev.postgate.it;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.postgate.common.testing.PostgateInfra;

/** Stops and starts the real local broker (deploy/local/kafka.sh), for tests of Kafka outages. */
final class KafkaBroker {
    private KafkaBroker() {
    }

    static void stop() {
        run("stop");
        if (portOpen()) {
            throw new IllegalStateException("A Kafka broker still answers on " + PostgateInfra.kafkaBootstrap() + ": it was not started by this checkout"
                    + " (deploy/local/kafka.sh reuses a running broker), so this test cannot stop it. Stop that broker and rerun.");
        }
    }

    static boolean portOpen() {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", PostgateInfra.kafkaPort()), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    static void start() {
        run("start");
    }

    private static void run(String command) {
        Path script = PostgateInfra.repositoryRoot().resolve("deploy/local/kafka.sh");
        try {
            Process process = new ProcessBuilder("bash", script.toString(), command).inheritIO().start();
            if (!process.waitFor(180, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("deploy/local/kafka.sh " + command + " failed");
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
