package dev.postgate.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.postgate.common.testing.ServiceProcess;
import dev.postgate.common.testing.TestKeys;
import dev.postgate.common.testing.TestKeys.IssuedKey;

/**
 * Throughput and latency of {@code GET /api/v1/whoami} with a warm key against the same
 * instance's {@code /q/health/live}, with wrk, alternating runs in one session.
 */
final class AuthOverheadBench {
    record WrkResult(double rps, double p50, double p90, double p99, long non2xx) {
    }

    private AuthOverheadBench() {
    }

    static String run(Path out, int seconds, int connections) throws Exception {
        try (BenchStack stack = new BenchStack(1, 1)) {
            ServiceProcess target = stack.publish.get(0);
            IssuedKey key = TestKeys.create(stack.keys.baseUrl(), TestKeys.newOrg(), List.of("posts:read"));
            String health = target.baseUrl() + "/q/health/live";
            String whoami = target.baseUrl() + "/api/v1/whoami";
            // Warm-up: JIT, connection pools, the key in the cache.
            wrk(health, null, 5, connections);
            wrk(whoami, key.bearer(), 5, connections);
            List<WrkResult> plain = new ArrayList<>();
            List<WrkResult> authed = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                plain.add(wrk(health, null, seconds, connections));
                authed.add(wrk(whoami, key.bearer(), seconds, connections));
            }
            WrkResult h = average(plain);
            WrkResult w = average(authed);
            double ratio = w.rps() / h.rps();
            Files.writeString(out.resolve("auth-overhead.dat"), String.format(
                    "# endpoint rps p50 p90 p99%n\"/q/health/live\" %.0f %.3f %.3f %.3f%n\"/api/v1/whoami\" %.0f %.3f %.3f %.3f%n",
                    h.rps(), h.p50(), h.p90(), h.p99(), w.rps(), w.p50(), w.p90(), w.p99()));
            StringBuilder md = new StringBuilder("## 2. Authentication overhead (whoami with a warm key vs. /q/health/live)\n\n");
            md.append(String.format("wrk, %d connections, 2 threads, %d s per run, 3 alternating runs each after a 5 s warm-up, "
                    + "one publish-service instance; wrk shares the 2 cores with the service.%n%n", connections, seconds));
            md.append("| endpoint | requests/s | p50 ms | p90 ms | p99 ms | non-2xx |\n|---|---|---|---|---|---|\n");
            md.append(String.format("| /q/health/live (no auth) | %.0f | %.2f | %.2f | %.2f | %d |%n", h.rps(), h.p50(), h.p90(), h.p99(), h.non2xx()));
            md.append(String.format("| /api/v1/whoami (API key) | %.0f | %.2f | %.2f | %.2f | %d |%n%n", w.rps(), w.p50(), w.p90(), w.p99(), w.non2xx()));
            md.append(String.format("Ratio whoami / health: **%.2f** (target ≥ 0.8: **%s**).%n%n", ratio, ratio >= 0.8 ? "met" : "NOT met"));
            md.append("![Authentication throughput and latency](plots/auth-overhead.png)\n\n");
            return md.toString();
        }
    }

    private static WrkResult average(List<WrkResult> runs) {
        return new WrkResult(runs.stream().mapToDouble(WrkResult::rps).average().orElse(0),
                runs.stream().mapToDouble(WrkResult::p50).average().orElse(0),
                runs.stream().mapToDouble(WrkResult::p90).average().orElse(0),
                runs.stream().mapToDouble(WrkResult::p99).average().orElse(0),
                runs.stream().mapToLong(WrkResult::non2xx).sum());
    }

    static WrkResult wrk(String url, String authorization, int seconds, int connections) throws IOException, InterruptedException {
        return wrk(url, authorization, null, seconds, connections);
    }

    /**
     * A wrk Lua script that POSTs JSON with {@code headers}, each request's body built by the Lua
     * expression {@code body}, which may use {@code tid} (the thread, from 1) and {@code counter}
     * (the thread's request, from 1) to make every body unique.
     */
    static Path postScript(String name, Map<String, String> headers, String body) throws IOException {
        StringBuilder lua = new StringBuilder("""
                local counter = 0
                local threads = 0
                wrk.method = "POST"
                wrk.headers["Content-Type"] = "application/json"
                """);
        headers.forEach((header, value) -> lua.append("wrk.headers[\"").append(header).append("\"] = \"").append(value).append("\"\n"));
        lua.append("""
                function setup(thread)
                  threads = threads + 1
                  thread:set("tid", threads)
                end
                function request()
                  counter = counter + 1
                  return wrk.format(nil, nil, nil, %s)
                end
                """.formatted(body));
        Path script = Files.createTempFile(name, ".lua");
        Files.writeString(script, lua);
        return script;
    }

    /** wrk with 2 threads; {@code script} (a Lua file, or null) may build each request. */
    static WrkResult wrk(String url, String authorization, Path script, int seconds, int connections)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--latency"));
        if (authorization != null) {
            command.add("-H");
            command.add("Authorization: " + authorization);
        }
        if (script != null) {
            command.add("-s");
            command.add(script.toString());
        }
        command.add(url);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(seconds + 30L, TimeUnit.SECONDS);
        return new WrkResult(number(output, "Requests/sec:\\s+([0-9.]+)"), millis(output, "50%"), millis(output, "90%"),
                millis(output, "99%"), (long) number(output, "Non-2xx or 3xx responses:\\s+([0-9]+)"));
    }

    private static double number(String output, String regex) {
        Matcher m = Pattern.compile(regex).matcher(output);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static double millis(String output, String percentile) {
        Matcher m = Pattern.compile("\\s" + Pattern.quote(percentile) + "\\s+([0-9.]+)(us|ms|s)").matcher(output);
        if (!m.find()) {
            return 0;
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }
}
