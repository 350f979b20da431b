package dev.postgate.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import dev.postgate.common.testing.ServiceProcess;

/**
 * How much the services' JIT compilers are still working, from each JVM's performance counters
 * ({@code jcmd <pid> PerfCounter.print}: {@code java.ci.totalTime} in {@code sun.os.hrt.frequency}
 * ticks). That counter adds up each compilation's elapsed time, so a share of a window is the time
 * a compiler was busy, waiting for a core included: an upper bound on the CPU it took. A service
 * JVM fresh from start compiles for minutes under load on this machine's two cores: under 32
 * clients' captions publish-service had a compilation running all the time for the first minute
 * and still 15–25 % of the time after four (2026-12-04, ninth session), and its compiler threads
 * share the cores with what is measured. So a warm-up runs until that work has died down, and
 * every measured part reports how much compiling happened during it.
 */
final class Jit {
    /** A warm-up ends once every service had a compilation running for at most this share of the last window. */
    static final double QUIET_SHARE = 0.10;
    static final Duration WINDOW = Duration.ofSeconds(10);

    private Jit() {
    }

    /** Milliseconds the process's JIT compilers have spent since it started. */
    static long compileMillis(ServiceProcess service) {
        try {
            Process jcmd = new ProcessBuilder(System.getProperty("java.home") + "/bin/jcmd", Long.toString(service.pid()),
                    "PerfCounter.print").redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!jcmd.waitFor(30, TimeUnit.SECONDS)) {
                jcmd.destroyForcibly();
                throw new IllegalStateException("jcmd did not answer for " + service.name());
            }
            double ticks = counter(out, "java.ci.totalTime");
            double perSecond = counter(out, "sun.os.hrt.frequency");
            return Math.round(ticks / perSecond * 1000);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the JIT counters of " + service.name(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static double counter(String perfCounters, String name) {
        for (String line : perfCounters.split("\n")) {
            if (line.startsWith(name + "=")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        throw new IllegalStateException("no counter " + name + " in jcmd's answer");
    }

    /** The services' compile times at one moment, to tell later how much of the time since each was compiling. */
    static final class Mark {
        private final List<ServiceProcess> services;
        private final long[] compileMillis;
        private final long at = System.nanoTime();

        private Mark(List<ServiceProcess> services) {
            this.services = services;
            this.compileMillis = services.stream().mapToLong(Jit::compileMillis).toArray();
        }

        /** "publish-service 4 %, workspace-service 1 %", and whether every share is at most {@link #QUIET_SHARE}. */
        Shares since() {
            Mark now = new Mark(services);
            double millis = Math.max(1, (now.at - at) / 1e6);
            List<String> parts = new ArrayList<>();
            boolean quiet = true;
            for (int i = 0; i < services.size(); i++) {
                double share = (now.compileMillis[i] - compileMillis[i]) / millis;
                quiet &= share <= QUIET_SHARE;
                parts.add(String.format(Locale.ROOT, "%s %.0f %%", services.get(i).name(), 100 * share));
            }
            return new Shares(String.join(", ", parts), quiet, now);
        }
    }

    /** The share of a stretch of time each service was compiling, and the mark at its end. */
    record Shares(String text, boolean quiet, Mark end) {
    }

    /** The services' compile times now. */
    static Mark mark(List<ServiceProcess> services) {
        return new Mark(services);
    }

    /** How a warm-up ended: its length, and the share of its last window each service was compiling. */
    record WarmUp(long seconds, boolean quiet, String lastWindow) {
        String describe() {
            return String.format(Locale.ROOT, "%d s, until %s (share of its last %d s in which each was compiling: %s)", seconds,
                    quiet ? "the JIT compilers had quietened" : "its time limit, the JIT compilers still busy",
                    WINDOW.toSeconds(), lastWindow);
        }
    }

    /**
     * Runs {@code load} on {@code clients} threads (each runs until the supplier it is given says
     * stop) for at least {@code min}, then until every service was compiling for at most
     * {@link #QUIET_SHARE} of the last {@link #WINDOW}, or {@code max} has passed.
     */
    static WarmUp warmUp(List<ServiceProcess> services, int clients, Duration min, Duration max, Consumer<BooleanSupplier> load) {
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            running.add(pool.submit(() -> load.accept(stop::get)));
        }
        long started = System.nanoTime();
        Shares last;
        try {
            Mark window = mark(services);
            while (true) {
                RevocationBench.sleep(WINDOW.toMillis());
                last = window.since();
                long elapsed = System.nanoTime() - started;
                if ((last.quiet() && elapsed >= min.toNanos()) || elapsed >= max.toNanos()) {
                    break;
                }
                window = last.end();
            }
        } finally {
            stop.set(true);
            pool.shutdown();
        }
        try {
            for (Future<?> client : running) {
                client.get(60, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the warm-up load failed", e);
        }
        return new WarmUp(Duration.ofNanos(System.nanoTime() - started).toSeconds(), last.quiet(), last.text());
    }
}
