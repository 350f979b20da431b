package dev.postgate.it;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.ServiceProcess;

/** The nginx base URL of deploy/local/nginx.sh, in front of test instances, on its own port and run directory. */
final class Proxy implements AutoCloseable {
    private final int port;
    private final Path runDir;
    private final Map<String, String> env;

    private Proxy(int port, Path runDir, Map<String, String> env) {
        this.port = port;
        this.runDir = runDir;
        this.env = env;
    }

    static Proxy start(java.util.List<ServiceProcess> keys, java.util.List<ServiceProcess> workspaces,
            java.util.List<ServiceProcess> publish) {
        return before(upstreams(keys), upstreams(workspaces), upstreams(publish));
    }

    /** In front of these upstreams (nginx.sh's {@code host:port[,host:port…]}), whatever listens there. */
    static Proxy before(String keys, String workspaces, String publish) {
        int port = ServiceProcess.freePort();
        Path runDir = Path.of("target/proxy-" + port).toAbsolutePath();
        Map<String, String> env = Map.of(
                "POSTGATE_PROXY_PORT", String.valueOf(port),
                "POSTGATE_RUN_DIR", runDir.toString(),
                "KEY_SERVICE_UPSTREAM", keys,
                "WORKSPACE_SERVICE_UPSTREAM", workspaces,
                "PUBLISH_SERVICE_UPSTREAM", publish);
        Proxy proxy = new Proxy(port, runDir, env);
        proxy.run("start");
        return proxy;
    }

    private static String upstreams(java.util.List<ServiceProcess> services) {
        return services.stream().map(s -> "127.0.0.1:" + s.port()).collect(Collectors.joining(","));
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** nginx's access log (deploy/local/lib.sh's LOG_DIR under the run directory). */
    Path accessLog() {
        return runDir.resolve("logs/nginx-access.log");
    }

    /** nginx's error log, beside the access log. */
    Path errorLog() {
        return runDir.resolve("logs/nginx-error.log");
    }

    private void run(String command) {
        Path script = PostgateInfra.repositoryRoot().resolve("deploy/local/nginx.sh");
        try {
            ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), command).inheritIO();
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("deploy/local/nginx.sh " + command + " failed");
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        run("stop");
    }
}
