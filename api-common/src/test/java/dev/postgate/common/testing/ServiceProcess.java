package dev.postgate.common.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A packaged Postgate service ({@code <module>/target/quarkus-app/quarkus-run.jar}) running as a
 * real process on its own port, against the real PostgreSQL and Kafka, for tests that need
 * another service (or several instances of one). Logs go to {@code target/service-logs}.
 */
public final class ServiceProcess implements AutoCloseable {
    /** The key HMAC pepper every test process shares, so keys made by one key-service work with another. */
    public static final String TEST_PEPPER = "test-pepper-not-for-production";

    private final String module;
    private final String name;
    private final int port;
    private final Map<String, String> env;
    private final List<String> jvmOptions;
    private final Path log;
    /** Where this launch's output starts in {@link #log} (earlier launches of the same name append to it). */
    private long logStart;
    private final boolean appCds;
    /** Where this launch writes the classes it loaded, when it is the one making the archive; else null. */
    private Path archiving;
    private Process process;
    private long startupMillis;
    private long launchedAt;

    private ServiceProcess(String module, String name, int port, Map<String, String> env, List<String> jvmOptions,
            boolean appCds) {
        this.module = module;
        this.appCds = appCds;
        this.name = name;
        this.port = port;
        this.env = env;
        this.jvmOptions = jvmOptions;
        this.log = Path.of(System.getProperty("postgate.test.logs", "target/service-logs")).toAbsolutePath()
                .resolve(name + ".log");
    }

    public static Builder of(String module) {
        return new Builder(module);
    }

    public static final class Builder {
        private final String module;
        private String name;
        private int port;
        private String database = PostgateInfra.testDatabase();
        private final Map<String, String> env = new LinkedHashMap<>();
        /**
         * As the local stack and the images size memory: the heap a share of the memory the process
         * may use (here -XX:MaxRAM stands for a container's limit), no floor, the serial collector;
         * tests add the quick C1-only JIT, as they start many short-lived processes.
         */
        private final List<String> jvmOptions = new ArrayList<>(List.of("-XX:MaxRAM=768m", "-XX:MaxRAMPercentage=50",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=240m"));
        /** With these default options, launches start from the module's AppCDS archive (see {@link #launch()}). */
        private boolean appCds = true;

        private Builder(String module) {
            this.module = module;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder database(String database) {
            this.database = database;
            return this;
        }

        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        public Builder keyService(String url) {
            return env("POSTGATE_KEY_SERVICE_URL", url);
        }

        public Builder workspaceService(String url) {
            return env("POSTGATE_WORKSPACE_SERVICE_URL", url);
        }

        /** Full JIT and a bigger heap, for benchmarks: exactly these options, no archive added. */
        public Builder jvmOptions(String... options) {
            jvmOptions.clear();
            jvmOptions.addAll(List.of(options));
            appCds = false;
            return this;
        }

        public ServiceProcess start() {
            int chosen = port == 0 ? freePort() : port;
            Map<String, String> all = new LinkedHashMap<>();
            all.put("PORT", String.valueOf(chosen));
            all.put("POSTGATE_DB_NAME", database);
            all.put("POSTGATE_KEY_PEPPER", TEST_PEPPER);
            all.put("POSTGATE_JWT_DASHBOARD_PUBLIC_KEY", Tokens.keyLocation("public.pem"));
            all.put("POSTGATE_JWT_SERVICE_PUBLIC_KEY", Tokens.keyLocation("service-public.pem"));
            all.put("POSTGATE_JWT_SERVICE_PRIVATE_KEY", Tokens.keyLocation("service-private.pem"));
            all.putAll(env);
            ServiceProcess service = new ServiceProcess(module, name == null ? module + "-" + chosen : name, chosen, all, jvmOptions, appCds);
            service.launch();
            return service;
        }
    }

    /**
     * The base URL of a service a test resource started earlier in this test JVM under {@code name},
     * if it still runs; null otherwise. Kept in system properties: Quarkus loads the test resources
     * again for every test profile (a new class loader, new static fields), and a service started
     * once per profile, each with its own database pool, would exhaust PostgreSQL's connections.
     */
    public static String runningInThisJvm(String name) {
        String url = System.getProperty("postgate.test." + name + ".url");
        String pid = System.getProperty("postgate.test." + name + ".pid");
        boolean alive = pid != null && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        return alive ? url : null;
    }

    /** Starts the service for the rest of this test JVM (stopped when it exits); its base URL ({@link #runningInThisJvm}). */
    public String keepForThisJvm() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop));
        System.setProperty("postgate.test." + name() + ".url", baseUrl());
        System.setProperty("postgate.test." + name() + ".pid", String.valueOf(pid()));
        return baseUrl();
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void launch() {
        PostgateInfra.ensure();
        Path jar = PostgateInfra.repositoryRoot().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package it first (./mvnw package -pl " + module + " -DskipTests)");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        if (appCds) {
            command.addAll(archiveOptions(jar));
        }
        command.add("-jar");
        command.add(jar.toString());
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            logStart = Files.exists(log) ? Files.size(log) : 0;
            launchedAt = System.nanoTime();
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name, e);
        }
        // Generous: a busy 2-core machine can take a minute or more to start a JVM service.
        awaitReady(Duration.ofSeconds(180));
    }

    /** A line the JVM writes about its class-data sharing archive, such as {@code [4.593s][warning][cds] Skipping …}. */
    private static final Pattern CDS_NOTE = Pattern.compile("\\[[0-9.]+s\\]\\[\\w+ *\\]\\[cds");

    /** Modules whose archive a running process of this JVM is making now. */
    private static final java.util.Set<String> ARCHIVING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Class-data sharing, as deploy/local/stack and the JVM images use it (issue 18), to cut each
     * launch's class loading (integration tests start some forty processes; issue 12). The archive is
     * {@code target/quarkus-app/app-cds.jsa}, shared with the local stack: used when it is newer than
     * the jar; otherwise the first launch of the module writes the classes it loaded at its graceful
     * stop ({@code -XX:ArchiveClassesAtExit}, to a file of its own, moved into place by {@link #stop()}).
     * A JVM that cannot use an archive says so in the log and starts without it.
     */
    private List<String> archiveOptions(Path jar) {
        Path archive = jar.resolveSibling("app-cds.jsa");
        archiveWritten(false); // a previous launch that ended without stop() or kill()
        try {
            if (Files.isRegularFile(archive)
                    && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) >= 0) {
                return List.of("-XX:SharedArchiveFile=" + archive);
            }
        } catch (IOException e) {
            return List.of();
        }
        if (!ARCHIVING.add(module)) {
            return List.of();
        }
        archiving = jar.resolveSibling("app-cds.jsa." + ProcessHandle.current().pid() + "-" + port);
        return List.of("-XX:ArchiveClassesAtExit=" + archiving);
    }

    /** After a graceful stop, puts the archive this process wrote in place (once, atomically). */
    private void archiveWritten(boolean graceful) {
        if (archiving == null) {
            return;
        }
        Path written = archiving;
        archiving = null;
        try {
            if (graceful && Files.size(written) > 0) {
                Files.move(written, written.resolveSibling("app-cds.jsa"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // No archive: later launches make one.
        } finally {
            try {
                Files.deleteIfExists(written);
            } catch (IOException e) {
                // Left in target/; harmless.
            }
            ARCHIVING.remove(module);
        }
    }

    /** Starts the same service again on the same port (after {@link #stop()} or {@link #kill()}). */
    public ServiceProcess restart() {
        if (process != null && process.isAlive()) {
            stop();
        }
        launch();
        return this;
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                archiveWritten(false);
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + logTail());
            }
            if (status("/q/health/ready") == 200) {
                startupMillis = (System.nanoTime() - launchedAt) / 1_000_000;
                return;
            }
            sleep(200);
        }
        kill();
        throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s:\n" + logTail());
    }

    /** HTTP status of a GET on this service, or -1 when it does not answer. */
    public int status(String path) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(baseUrl() + path).toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(2000);
            int status = connection.getResponseCode();
            connection.disconnect();
            return status;
        } catch (IOException e) {
            return -1;
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public String name() {
        return name;
    }

    /** The operating-system process id (for memory readings). */
    public long pid() {
        return process.pid();
    }

    /** Resident set size of the process in kilobytes (Linux /proc), or -1. */
    public long rssKilobytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Milliseconds from the last launch to the first successful readiness answer. */
    public long startupMillis() {
        return startupMillis;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Graceful stop (SIGTERM). */
    public void stop() {
        boolean graceful = false;
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                // Longer for the process writing the archive: the dump comes after the shutdown.
                graceful = process.waitFor(archiving == null ? 15 : 60, TimeUnit.SECONDS);
                if (!graceful) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        archiveWritten(graceful);
    }

    /** Crash (SIGKILL): no shutdown hooks, nothing flushed. */
    public void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        archiveWritten(false);
    }

    /**
     * The last 40 lines this launch logged, without the JVM's class-data sharing notes (a first
     * launch writes thousands as it exits).
     */
    public String logTail() {
        try {
            byte[] all = Files.readAllBytes(log);
            int from = (int) Math.min(logStart, all.length);
            List<String> lines = new String(all, from, all.length - from, StandardCharsets.UTF_8).lines()
                    .filter(line -> !CDS_NOTE.matcher(line).lookingAt()).toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
