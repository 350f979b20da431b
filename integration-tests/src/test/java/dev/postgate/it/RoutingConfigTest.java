package dev.postgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.postgate.it.DeploymentFiles.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Ingress mirrors the shared nginx routes (deploy/nginx/routes.conf), and compose's nginx serves them.
 */
class RoutingConfigTest {
    @BeforeAll
    static void readFiles() throws IOException {
        DeploymentFiles.read();
    }

    @Test
    void ingressMirrorsTheSharedNginxRoutes() throws IOException {
        String routes = Files.readString(root.resolve("deploy/nginx/routes.conf"));
        Matcher proxied = Pattern.compile("location\\s+(?:=\\s+)?(/\\S*?)/?\\s*\\{\\s*proxy_pass\\s+http://(\\w+);").matcher(routes);
        Set<String> expected = new TreeSet<>();
        while (proxied.find()) {
            String service = proxied.group(2).replace('_', '-');
            expected.add(proxied.group(1) + " -> " + service + ":" + port(service));
        }
        assertTrue(expected.size() >= 7, "routes.conf has the SPEC's prefixes: " + expected);

        JsonNode ingress = k8s("Ingress/postgate");
        assertEquals("nginx", ingress.path("spec").path("ingressClassName").asText(), "ingressClassName");
        Set<String> actual = new TreeSet<>();
        for (JsonNode rule : ingress.path("spec").path("rules")) {
            for (JsonNode path : rule.path("http").path("paths")) {
                // ingress-nginx's strict path validation (default since v1.12) denies the whole Ingress for a
                // Prefix or Exact path with a character outside [A-Za-z0-9/_-], such as the document's dot.
                String pathType = path.path("path").asText().matches("/[A-Za-z0-9/_-]*") ? "Prefix" : "ImplementationSpecific";
                assertEquals(pathType, path.path("pathType").asText(), "pathType of " + path.path("path").asText());
                JsonNode backend = path.path("backend").path("service");
                actual.add(path.path("path").asText() + " -> " + backend.path("name").asText() + ":"
                        + backend.path("port").path("number").asInt());
            }
        }
        assertEquals(expected, actual, "Ingress paths (left: from deploy/nginx/routes.conf)");
        assertTrue(actual.stream().noneMatch(route -> route.startsWith("/internal") || route.startsWith("/q")),
                "/internal and /q are never routed");

        Matcher bodySize = Pattern.compile("client_max_body_size\\s+(\\S+);").matcher(routes);
        assertTrue(bodySize.find(), "routes.conf sets client_max_body_size");
        assertEquals(bodySize.group(1), ingress.path("metadata").path("annotations").path("nginx.ingress.kubernetes.io/proxy-body-size")
                .asText(), "Ingress body size limit as routes.conf");
        // SPEC section 6: no body is read before its credential has passed, by the proxy either (HostileRequestsIT).
        assertTrue(Pattern.compile("(?m)^\\s*proxy_request_buffering\\s+off;").matcher(routes).find(),
                "routes.conf passes bodies on as they arrive");
        assertEquals("off", ingress.path("metadata").path("annotations").path("nginx.ingress.kubernetes.io/proxy-request-buffering")
                .asText(), "the Ingress passes bodies on as they arrive");
    }

    /**
     * routes.conf's rule (its header): each prefix is an exact match plus "prefix/", to the same
     * service, as the Ingress's Prefix paths route both. Found by review: /api/v1/secret-scanning
     * had its "prefix/" only, so nginx sent the bare path to publish-service and the Ingress to
     * key-service.
     */
    @Test
    void everyPrefixIsRoutedWithAndWithoutItsSlashToOneService() throws IOException {
        String routes = Files.readString(root.resolve("deploy/nginx/routes.conf"));
        Matcher exact = Pattern.compile("location\\s+=\\s+(/\\S*)\\s*\\{\\s*proxy_pass\\s+http://(\\w+);").matcher(routes);
        Set<String> exacts = new TreeSet<>();
        while (exact.find()) {
            exacts.add(exact.group(1) + " -> " + exact.group(2));
        }
        Matcher prefix = Pattern.compile("location\\s+(/\\S*)/\\s*\\{\\s*proxy_pass\\s+http://(\\w+);").matcher(routes);
        int prefixes = 0;
        while (prefix.find()) {
            if (prefix.group(1).equals("/api/v1")) {
                // The catch-all of publish-service: its bare path is a 404 of its own (location = /api/v1).
                continue;
            }
            prefixes++;
            assertTrue(exacts.contains(prefix.group(1) + " -> " + prefix.group(2)),
                    "routes.conf routes " + prefix.group(1) + "/ to " + prefix.group(2) + " but not " + prefix.group(1) + " itself");
        }
        assertTrue(prefixes >= 7, "routes.conf's prefixes were read: " + prefixes);
    }

    /**
     * SPEC section 6: behind the proxy a client's address is what the proxy's X-Forwarded-For
     * says, so every service the proxy routes to trusts it; otherwise its per-address limits
     * (the leaked-key reports', the unknown keys') count every client as the proxy.
     */
    @Test
    void everyServiceBehindTheProxyTrustsItsForwardedFor() {
        for (String service : SERVICES) {
            assertTrue(composeEnvironment(service).containsKey("POSTGATE_HTTP_TRUSTED_PROXIES"), "compose " + service);
            assertTrue(k8sEnvironmentNames(service).contains("POSTGATE_HTTP_TRUSTED_PROXIES"), "Kubernetes " + service);
        }
    }

    @Test
    void composeNginxServesTheSharedRoutes() throws Exception {
        JsonNode nginx = compose.path("services").path("nginx");
        Map<String, String> mounts = new LinkedHashMap<>();
        for (String volume : texts(nginx.path("volumes"))) {
            String[] parts = volume.split(":");
            mounts.put(parts[0], parts[1]);
            assertTrue(volume.endsWith(":ro"), "nginx mounts read-only: " + volume);
        }
        assertEquals("/etc/nginx/nginx.conf", mounts.get("./deploy/compose/nginx.conf"), "compose nginx.conf mount");
        String routesInContainer = mounts.get("./deploy/nginx/routes.conf");
        String conf = Files.readString(root.resolve("deploy/compose/nginx.conf"));
        assertTrue(conf.contains("include " + routesInContainer + ";"), "nginx.conf includes the mounted routes.conf at " + routesInContainer);
        // The log format is the local proxy's too: one file, so that a key is left out of both logs alike.
        String loggingInContainer = mounts.get("./deploy/nginx/logging.conf");
        assertTrue(conf.contains("include " + loggingInContainer + ";"), "nginx.conf includes the mounted logging.conf at " + loggingInContainer);
        assertTrue(Files.readString(root.resolve("deploy/local/nginx.conf.template")).contains("include \"${LOGGING_FILE}\";"),
                "the local nginx includes the same logging.conf");
        for (String written : List.of(conf, Files.readString(root.resolve("deploy/local/nginx.conf.template")))) {
            assertTrue(!written.contains("log_format") && !written.contains("map $request"), "the log format is written once, in logging.conf");
        }
        assertEquals(List.of("127.0.0.1:8080:80"), texts(nginx.path("ports")), "the base URL is port 8080");

        // Every upstream routes.conf proxies to is defined, and each is a compose service.
        Set<String> used = new TreeSet<>();
        Matcher proxyPass = Pattern.compile("proxy_pass\\s+http://(\\w+);").matcher(Files.readString(root.resolve("deploy/nginx/routes.conf")));
        while (proxyPass.find()) {
            used.add(proxyPass.group(1).replace('_', '-'));
        }
        assertEquals(new TreeSet<>(SERVICES), used, "upstreams used by routes.conf");
        assertEquals(new TreeSet<>(SERVICES), new TreeSet<>(nginxUpstreams().keySet()), "upstreams defined by deploy/compose/nginx.conf");

        // nginx itself accepts the configuration (the local nginx, with the container paths and
        // service names replaced by local ones).
        requireCommand("nginx", "nginx-light");
        Path dir = Files.createDirectories(root.resolve("integration-tests/target/nginx-check"));
        String local = conf.replaceAll("(?m)^\\s*user\\s+[^;]+;\\n", "")
                .replaceAll("(?m)^pid\\s+[^;]+;", "pid " + dir.resolve("nginx.pid") + ";")
                .replaceAll("error_log\\s+\\S+", "error_log " + dir.resolve("error.log"))
                .replaceAll("access_log\\s+\\S+", "access_log " + dir.resolve("access.log"))
                .replace("include " + routesInContainer + ";", "include " + root.resolve("deploy/nginx/routes.conf") + ";")
                .replace("include " + loggingInContainer + ";", "include " + root.resolve("deploy/nginx/logging.conf") + ";")
                .replaceAll("server\\s+[\\w.-]+:(\\d+);", "server 127.0.0.1:$1;")
                .replace("http {", "http {\n    client_body_temp_path " + dir.resolve("client_body") + ";\n    proxy_temp_path "
                        + dir.resolve("proxy") + ";\n    fastcgi_temp_path " + dir.resolve("fastcgi") + ";\n    uwsgi_temp_path "
                        + dir.resolve("uwsgi") + ";\n    scgi_temp_path " + dir.resolve("scgi") + ";");
        if (!Files.isRegularFile(Path.of("/etc/nginx/mime.types"))) {
            local = local.replace("include /etc/nginx/mime.types;", "");
        }
        Files.writeString(dir.resolve("nginx.conf"), local);
        Result check = run(dir, Map.of(), Duration.ofMinutes(1), "nginx", "-t", "-p", dir + "/", "-c", dir.resolve("nginx.conf").toString(),
                "-e", dir.resolve("error.log").toString());
        assertEquals(0, check.exit(), "nginx -t on deploy/compose/nginx.conf + deploy/nginx/routes.conf and logging.conf failed:\n" + check.output());
    }


    /**
     * The proxy and the services refuse a target holding a key alike (deploy/nginx/routes.conf and
     * api-common's HttpEdge): every target the services refuse, the proxy refuses before passing it on
     * (else nginx's error log could hold it), in the same words, and its access log leaves it out.
     * Found by review: the proxy read a key's underscores escaped but not its letters.
     */
    @Test
    void theProxyRefusesEveryTargetHoldingAKeyTheServicesRefuse() throws IOException {
        String routes = Files.readString(root.resolve("deploy/nginx/routes.conf"));
        Matcher refusal = Pattern.compile("if \\(\\$request_uri ~ \"([^\"]+)\"\\) \\{ set \\$postgate_key_in_target 1;").matcher(routes);
        assertTrue(refusal.find(), "routes.conf sets $postgate_key_in_target");
        Pattern proxy = Pattern.compile(refusal.group(1));
        Matcher message = Pattern.compile("if \\(\\$postgate_key_in_target\\) \\{ set \\$postgate_message \"([^\"]+)\";").matcher(routes);
        assertTrue(message.find(), "the 400 page's message for a key");
        assertEquals(dev.postgate.common.http.HttpEdge.KEY_IN_TARGET, message.group(1));
        Matcher logged = Pattern.compile("map \\$request \\$postgate_logged_request \\{\\s*\"~([^\"]+)\"")
                .matcher(Files.readString(root.resolve("deploy/nginx/logging.conf")));
        assertTrue(logged.find(), "logging.conf's map");
        Pattern accessLog = Pattern.compile(logged.group(1));

        String key = dev.postgate.common.keys.KeyFormat.generate("pp", dev.postgate.common.keys.KeyMode.LIVE);
        String testKey = dev.postgate.common.keys.KeyFormat.generate("acme", dev.postgate.common.keys.KeyMode.TEST);
        List<String> holding = List.of("/api/v1/keys/" + key, "/api/v1/whoami?api_key=" + key, "/api/v1/posts/" + testKey,
                "/api/v1/posts/" + key.replace("_", "%5F"), "/api/v1/posts/" + key.replace("_", "%5f"),
                "/api/v1/posts/" + key.replace("live", "%6Cive"), "/api/v1/posts/" + key.replace("live", "%6cive"),
                "/api/v1/posts/" + key.replace("sk", "%73%6B"), "/api/v1/posts/" + testKey.replace("test", "%74est"),
                "/api/v1/posts/" + key.substring(0, 20) + "%" + Integer.toHexString(key.charAt(20)) + key.substring(21),
                "/api/v1/posts/" + key.substring(0, 11) + key.substring(11).chars().mapToObj(c -> "%" + Integer.toHexString(c))
                        .collect(java.util.stream.Collectors.joining()),
                "/api/v1/posts/%zz/" + key, "/api/v1/posts/%/" + key.replace("_", "%5F"), "/api/v1/posts?cursor=x&k=" + key + "&z");
        for (String target : holding) {
            assertTrue(dev.postgate.common.http.HttpEdge.holdsAKey(target), "the services refuse " + target);
            assertTrue(proxy.matcher(target).find(), "the proxy refuses " + target);
            assertTrue(accessLog.matcher(target).find(), "the access log leaves out " + target);
        }
        List<String> notHolding = List.of("/api/v1/posts/" + key.substring(0, 30), "/api/v1/posts?cursor=djE6cG9zdF8wMUg",
                "/api/v1/posts/post_01HZZZZZZZZZZZZZZZZZZZZZZZ", "/api/v1/keys/key_01HZZZZZZZZZZZZZZZZZZZZZZZ/revoke?wait_ms=500");
        for (String target : notHolding) {
            assertTrue(!dev.postgate.common.http.HttpEdge.holdsAKey(target), "the services pass " + target);
            assertTrue(!proxy.matcher(target).find(), "the proxy passes " + target);
        }
    }
}
