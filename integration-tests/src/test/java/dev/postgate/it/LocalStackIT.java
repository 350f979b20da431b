package dev.postgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.ServiceProcess;

/**
 * The no-Docker stack as a developer runs it ({@code deploy/local/stack up --no-build}, on ports and a
 * run directory of its own): /internal and /q must not be reachable from beyond this machine, so
 * every socket the services and the proxy listen on is a loopback one.
 */
class LocalStackIT {

    @Test
    void servicesAndProxyListenOnLoopbackOnly() throws Exception {
        Path runDir = Path.of("target/stack-" + ServiceProcess.freePort()).toAbsolutePath();
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("POSTGATE_KEY_SERVICE_PORT", ServiceProcess.freePort());
        ports.put("POSTGATE_WORKSPACE_SERVICE_PORT", ServiceProcess.freePort());
        ports.put("POSTGATE_PUBLISH_SERVICE_PORT", ServiceProcess.freePort());
        ports.put("POSTGATE_PROXY_PORT", ServiceProcess.freePort());
        Map<String, String> env = new LinkedHashMap<>();
        ports.forEach((name, port) -> env.put(name, String.valueOf(port)));
        env.put("POSTGATE_RUN_DIR", runDir.toString());
        env.put("POSTGATE_DB_NAME", PostgateInfra.testDatabase());
        // The stack's own JVM options and its AppCDS training runs; generous waits for a busy machine.
        env.put("POSTGATE_READY_TIMEOUT", "600");
        try {
            Result up = stack(env, "up", "--no-build");
            assertEquals(0, up.exit, "deploy/local/stack up failed:\n" + up.output);
            for (Map.Entry<String, Integer> entry : ports.entrySet()) {
                List<String> listeners = listenersOn(entry.getValue());
                assertFalse(listeners.isEmpty(), entry.getKey() + "=" + entry.getValue() + ": nothing listens there");
                for (String address : listeners) {
                    assertTrue(address.equals("127.0.0.1") || address.equals("::1"),
                            entry.getKey() + "=" + entry.getValue() + " listens on " + address + ", beyond loopback: " + listeners);
                }
            }
        } finally {
            Result down = stack(env, "down");
            assertEquals(0, down.exit, "deploy/local/stack down failed:\n" + down.output);
        }
    }

    /** Local addresses of the TCP sockets listening on a port, from /proc/net/tcp and tcp6. */
    static List<String> listenersOn(int port) throws IOException {
        List<String> addresses = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.isReadable(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                String[] local = fields[1].split(":");
                // State 0A is LISTEN.
                if ("0A".equals(fields[3]) && Integer.parseInt(local[1], 16) == port) {
                    addresses.add(address(local[0]));
                }
            }
        }
        return addresses;
    }

    /** The kernel's hex form (32-bit words in host byte order, little-endian here) as text. */
    static String address(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                bytes[word * 4 + b] = (byte) Integer.parseInt(hex.substring(word * 8 + (3 - b) * 2, word * 8 + (3 - b) * 2 + 2), 16);
            }
        }
        try {
            return java.net.InetAddress.getByAddress(bytes).getHostAddress().replaceAll("^0:0:0:0:0:0:0:1$", "::1")
                    .replaceAll("^0:0:0:0:0:0:0:0$", "::");
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    record Result(int exit, String output) {
    }

    static Result stack(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", PostgateInfra.repositoryRoot().resolve("deploy/local/stack").toString()));
        command.addAll(List.of(args));
        Path output = Files.createTempFile("postgate-stack", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(20, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return new Result(-1, "deploy/local/stack " + String.join(" ", args) + " did not finish within 20 minutes:\n"
                        + Files.readString(output));
            }
            return new Result(process.exitValue(), Files.readString(output));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
