package dev.postgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.postgate.common.testing.PostgateInfra;

/**
 * The deployment files agree with each other and with the services' configuration: the
 * Dockerfiles, docker-compose.yml (+ deploy/compose), the shared nginx routes and the Kubernetes
 * manifests (deploy/k8s). Nothing here builds an image or starts a container: the compose file is
 * checked by docker-compose's own {@code config}, the manifests offline against the Kubernetes
 * schemas (node, integration-tests/src/test/resources/k8s-validate), the rest by reading the files.
 * Installs docker-compose (Debian) and the validator's npm packages when they are missing.
 */
class DeploymentConfigTest {
    static final List<String> SERVICES = List.of("key-service", "workspace-service", "publish-service");
    static final String READY = "/q/health/ready";
    static final String LIVE = "/q/health/live";
    static final String STARTED = "/q/health/started";
    /** Variables of the ubi9 OpenJDK image's run-java.sh, which are not Quarkus configuration. */
    static final Set<String> IMAGE_VARIABLES = Set.of("JAVA_OPTS_APPEND", "JAVA_APP_JAR");

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static Path root;
    static JsonNode compose;
    /** Every object of every YAML file under deploy/k8s/base, by "Kind/name". */
    static Map<String, JsonNode> k8s;

    @BeforeAll
    static void read() throws IOException {
        root = PostgateInfra.repositoryRoot();
        compose = YAML.readTree(root.resolve("docker-compose.yml").toFile());
        k8s = new TreeMap<>();
        for (Path file : yamlFiles(root.resolve("deploy/k8s/base"))) {
            for (JsonNode object : readAll(file)) {
                if (!"Kustomization".equals(object.path("kind").asText())) {
                    k8s.put(object.path("kind").asText() + "/" + object.path("metadata").path("name").asText(), object);
                }
            }
        }
    }

    // ------------------------------------------------------------------ (a) docker-compose

    @Test
    void composeFileIsValidForDockerCompose() throws Exception {
        ensureCommand("docker-compose", "docker-compose");
        Result quiet = run(root, Map.of(), Duration.ofMinutes(1), "docker-compose", "-f", "docker-compose.yml", "config", "-q");
        assertEquals(0, quiet.exit, "docker-compose -f docker-compose.yml config -q failed:\n" + quiet.output);

        // Both modes resolve to an existing Dockerfile and the matching image tag.
        for (String mode : List.of("jvm", "native")) {
            Result resolved = run(root, Map.of("QUARKUS_MODE", mode), Duration.ofMinutes(1), "docker-compose", "-f",
                    "docker-compose.yml", "config");
            assertEquals(0, resolved.exit, "docker-compose config with QUARKUS_MODE=" + mode + " failed:\n" + resolved.output);
            JsonNode services = YAML.readTree(resolved.stdout).path("services");
            for (String service : SERVICES) {
                JsonNode build = services.path(service).path("build");
                Path dockerfile = Path.of(build.path("context").asText()).resolve(build.path("dockerfile").asText());
                assertEquals(root.resolve(service + "/src/main/docker/Dockerfile." + mode), dockerfile,
                        service + ": Dockerfile with QUARKUS_MODE=" + mode);
                assertTrue(Files.isRegularFile(dockerfile), dockerfile + " does not exist");
                assertEquals("postgate/" + service + ":" + mode, services.path(service).path("image").asText(),
                        service + ": image with QUARKUS_MODE=" + mode);
            }
        }
    }

    // ------------------------------------------------------------------ (b) Kubernetes schemas

    @Test
    void kubernetesManifestsValidateOffline() throws Exception {
        ensureCommand("npm", "npm");
        Path dir = root.resolve("integration-tests/target/k8s-validate");
        Files.createDirectories(dir);
        String stamp = "";
        for (String name : List.of("package.json", "package-lock.json", "validate.mjs")) {
            try (InputStream in = DeploymentConfigTest.class.getResourceAsStream("/k8s-validate/" + name)) {
                if (in == null) {
                    fail("k8s-validate/" + name + " is not on the test classpath");
                }
                Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
            if (!name.endsWith(".mjs")) {
                stamp += sha256(Files.readString(dir.resolve(name)));
            }
        }
        // npm ci only when the pinned packages changed (the folder survives between runs, not `clean`).
        Path installed = dir.resolve("node_modules/.postgate-stamp");
        if (!Files.isRegularFile(installed) || !Files.readString(installed).equals(stamp)) {
            Result install = run(dir, Map.of(), Duration.ofMinutes(5), "npm", "ci", "--no-audit", "--no-fund");
            assertEquals(0, install.exit, "npm ci in " + dir + " failed:\n" + install.output);
            Files.writeString(installed, stamp);
        }

        List<String> command = new ArrayList<>(List.of("node", "validate.mjs", root.toString()));
        // kubectl (when installed, with kustomize v4 or later) renders the kustomizations too: the
        // validator checks its output and compares it with its own rendering.
        if (kustomizeAvailable()) {
            for (String kustomization : List.of("deploy/k8s/base", "deploy/k8s/overlays/example")) {
                Result rendered = run(root, Map.of(), Duration.ofMinutes(1), "kubectl", "kustomize", kustomization);
                assertEquals(0, rendered.exit, "kubectl kustomize " + kustomization + " failed:\n" + rendered.output);
                Path file = dir.resolve("kubectl-" + kustomization.replace('/', '-') + ".yaml");
                Files.writeString(file, rendered.stdout);
                command.add(kustomization + "=" + file);
            }
        } else {
            System.out.println("kubectl with kustomize v4+ is not installed: the overlay is rendered by validate.mjs only");
        }
        Result validation = run(dir, Map.of(), Duration.ofMinutes(2), command.toArray(String[]::new));
        System.out.println(validation.output);
        assertEquals(0, validation.exit, "deploy/k8s does not validate:\n" + validation.output);
    }

    // ------------------------------------------------------------------ (c) environment variables

    @Test
    void everyVariableSetForAServiceIsReadByItsConfiguration() throws IOException {
        List<String> problems = new ArrayList<>();
        for (String service : SERVICES) {
            Configuration config = Configuration.of(service);
            for (String name : composeEnvironment(service).keySet()) {
                if (!config.reads(name)) {
                    problems.add("docker-compose.yml, " + service + ": " + name + " " + config.why());
                }
            }
            for (String name : k8sEnvironmentNames(service)) {
                if (!config.reads(name)) {
                    problems.add("deploy/k8s, " + service + ": " + name + " " + config.why());
                }
            }
        }
        assertTrue(problems.isEmpty(), "Variables no configuration reads (a typo, or one set for the wrong service):\n  "
                + String.join("\n  ", problems));
    }

    @Test
    void everyVariableTheConfigurationRequiresIsSet() throws IOException {
        List<String> problems = new ArrayList<>();
        for (String service : SERVICES) {
            Set<String> required = Configuration.of(service).required();
            Set<String> inCompose = composeEnvironment(service).keySet();
            Set<String> inK8s = k8sEnvironmentNames(service);
            for (String name : required) {
                if (!inCompose.contains(name)) {
                    problems.add("docker-compose.yml, " + service + ": " + name + " is required (no default in prod)");
                }
                if (!inK8s.contains(name)) {
                    problems.add("deploy/k8s, " + service + ": " + name + " is required (no default in prod)");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(Configuration.of("key-service").required().contains("POSTGATE_KEY_PEPPER"),
                "key-service's application.properties no longer requires POSTGATE_KEY_PEPPER: review this test");
    }

    // ------------------------------------------------------------------ (d) cross-file agreement

    @Test
    void portsAgreeAcrossPropertiesDockerfilesComposeNginxAndKubernetes() throws IOException {
        Map<String, Integer> upstreams = nginxUpstreams();
        JsonNode config = k8s("ConfigMap/postgate-config").path("data");
        for (String service : SERVICES) {
            int port = port(service);
            for (String mode : List.of("jvm", "native")) {
                assertEquals(List.of(port), exposed(service, mode), service + " Dockerfile." + mode + " EXPOSE");
            }
            assertEquals(List.of("127.0.0.1:" + port + ":" + port), texts(compose.path("services").path(service).path("ports")),
                    "docker-compose.yml " + service + " ports (host 127.0.0.1, same port as the service)");
            assertEquals(port, upstreams.get(service), "deploy/compose/nginx.conf: upstream server " + service + ":" + port);

            JsonNode container = container(service);
            assertEquals(port, container.path("ports").path(0).path("containerPort").asInt(), service + " containerPort");
            assertEquals("http", container.path("ports").path(0).path("name").asText(), service + " container port name");
            JsonNode servicePort = k8s("Service/" + service).path("spec").path("ports").path(0);
            assertEquals(port, servicePort.path("port").asInt(), "Service " + service + " port");
            assertTrue(Set.of("http", String.valueOf(port)).contains(servicePort.path("targetPort").asText()),
                    "Service " + service + " targetPort is the container's port");
            assertEquals(String.valueOf(port), k8s("Deployment/" + service).path("spec").path("template").path("metadata")
                    .path("annotations").path("prometheus.io/port").asText(), service + " prometheus.io/port");
        }
        // The services call each other by name on their own ports, in compose and in Kubernetes.
        Map<String, String> urls = Map.of("POSTGATE_KEY_SERVICE_URL", "http://key-service:" + port("key-service"),
                "POSTGATE_WORKSPACE_SERVICE_URL", "http://workspace-service:" + port("workspace-service"));
        urls.forEach((name, url) -> {
            assertEquals(url, config.path(name).asText(), "ConfigMap postgate-config " + name);
            for (String service : SERVICES) {
                String value = composeEnvironment(service).get(name);
                if (value != null) {
                    assertEquals(url, value, "docker-compose.yml " + service + " " + name);
                }
            }
        });
        for (String consumer : List.of("workspace-service", "publish-service")) {
            assertTrue(composeEnvironment(consumer).keySet().containsAll(urls.keySet()),
                    "docker-compose.yml " + consumer + " knows where key-service and workspace-service are");
        }
    }

    @Test
    void healthChecksUseTheQuarkusHealthEndpoints() {
        for (String service : SERVICES) {
            int port = port(service);
            List<String> test = texts(compose.path("services").path(service).path("healthcheck").path("test"));
            assertTrue(test.contains("http://127.0.0.1:" + port + READY),
                    "docker-compose.yml " + service + " healthcheck should call http://127.0.0.1:" + port + READY + ": " + test);
            assertEquals("curl", test.get(1), service + " healthcheck uses curl (present in both images)");

            JsonNode container = container(service);
            Map<String, String> probes = Map.of("readinessProbe", READY, "livenessProbe", LIVE, "startupProbe", STARTED);
            probes.forEach((probe, path) -> {
                JsonNode get = container.path(probe).path("httpGet");
                assertEquals(path, get.path("path").asText(), service + " " + probe + " path");
                assertTrue(Set.of("http", String.valueOf(port)).contains(get.path("port").asText()),
                        service + " " + probe + " port is the container's port");
            });
        }
    }

    @Test
    void imageNamesAndDockerfilesAgree() throws IOException {
        for (String service : SERVICES) {
            JsonNode composed = compose.path("services").path(service);
            assertEquals("postgate/" + service + ":${QUARKUS_MODE:-jvm}", composed.path("image").asText(), service + " compose image");
            assertEquals("./" + service, composed.path("build").path("context").asText(), service + " compose build context");
            assertEquals("src/main/docker/Dockerfile.${QUARKUS_MODE:-jvm}", composed.path("build").path("dockerfile").asText(),
                    service + " compose dockerfile");
            assertEquals("postgate/" + service + ":jvm", container(service).path("image").asText(), service + " k8s base image");

            String jvm = dockerfile(service, "jvm");
            assertTrue(jvm.contains("FROM registry.access.redhat.com/ubi9/openjdk-17-runtime:"), service + " JVM base image");
            for (String dir : List.of("lib/", "*.jar", "app/", "quarkus/")) {
                assertTrue(jvm.contains("COPY --chown=185 target/quarkus-app/" + dir + " /deployments/"),
                        service + " Dockerfile.jvm copies target/quarkus-app/" + dir);
            }
            assertTrue(Pattern.compile("(?m)^ENV JAVA_OPTS_APPEND=\"[^\"]*-Dquarkus\\.http\\.host=0\\.0\\.0\\.0").matcher(jvm).find(),
                    service + " Dockerfile.jvm listens on all interfaces");
            assertTrue(jvm.contains("ENV JAVA_APP_JAR=\"/deployments/quarkus-run.jar\""), service + " JAVA_APP_JAR");
            assertEquals("185", lastUser(jvm), service + " Dockerfile.jvm runs as user 185");

            String nativeImage = dockerfile(service, "native");
            assertTrue(nativeImage.contains("COPY --chown=1001:root target/*-runner /work/application"), service + " native runner");
            assertTrue(nativeImage.contains("-Dquarkus.http.host=0.0.0.0"), service + " native listens on all interfaces");
            assertEquals("1001", lastUser(nativeImage), service + " Dockerfile.native runs as user 1001");
        }
        // The overlay points every image, and only these, to a registry.
        JsonNode overlay = readAll(root.resolve("deploy/k8s/overlays/example/kustomization.yaml")).get(0);
        assertEquals(SERVICES.stream().map(s -> "postgate/" + s).collect(Collectors.toSet()),
                Set.copyOf(texts(overlay.path("images"), "name")), "overlays/example images");
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
                assertEquals("Prefix", path.path("pathType").asText(), "pathType of " + path.path("path").asText());
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
        ensureCommand("nginx", "nginx-light");
        Path dir = Files.createDirectories(root.resolve("integration-tests/target/nginx-check"));
        String local = conf.replaceAll("(?m)^\\s*user\\s+[^;]+;\\n", "")
                .replaceAll("(?m)^pid\\s+[^;]+;", "pid " + dir.resolve("nginx.pid") + ";")
                .replaceAll("error_log\\s+\\S+", "error_log " + dir.resolve("error.log"))
                .replaceAll("access_log\\s+\\S+", "access_log " + dir.resolve("access.log"))
                .replace("include " + routesInContainer + ";", "include " + root.resolve("deploy/nginx/routes.conf") + ";")
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
        assertEquals(0, check.exit, "nginx -t on deploy/compose/nginx.conf + deploy/nginx/routes.conf failed:\n" + check.output);
    }

    @Test
    void kafkaTopicsAgreeAndNoConsumerGroupIsConfigured() throws IOException {
        // The topics the code publishes to (constants TOPIC = "..." in the services' sources and key-client's).
        Set<String> inCode = new TreeSet<>();
        for (String service : Stream.concat(SERVICES.stream(), Stream.of("key-client")).toList()) {
            try (Stream<Path> sources = Files.walk(root.resolve(service + "/src/main/java"))) {
                for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher topic = Pattern.compile("String TOPIC = \"([^\"]+)\"").matcher(Files.readString(source));
                    while (topic.find()) {
                        inCode.add(topic.group(1));
                    }
                }
            }
        }
        assertEquals(Set.of("postgate.api-keys.v1", "postgate.workspaces.v1", "postgate.credits.v1", "postgate.instances.v1"), inCode,
                "topics in the code");

        String script = Files.readString(root.resolve("deploy/compose/create-topics.sh"));
        assertEquals(inCode, new TreeSet<>(List.of(variable(script, "TOPICS").split("\\s+"))), "create-topics.sh TOPICS");
        assertEquals("3", variable(script, "PARTITIONS"), "create-topics.sh PARTITIONS");
        assertTrue(texts(compose.path("services").path("kafka-init").path("volumes")).contains(
                "./deploy/compose/create-topics.sh:/postgate/create-topics.sh:ro"), "kafka-init runs deploy/compose/create-topics.sh");
        assertEquals("service_completed_successfully", compose.path("services").path("key-service").path("depends_on")
                .path("kafka-init").path("condition").asText(), "services start after the topics exist");

        Set<String> inK8s = new TreeSet<>();
        for (Map.Entry<String, JsonNode> entry : k8s.entrySet()) {
            if (entry.getKey().startsWith("KafkaTopic/")) {
                JsonNode topic = entry.getValue();
                inK8s.add(topic.path("spec").path("topicName").asText(topic.path("metadata").path("name").asText()));
                assertEquals(3, topic.path("spec").path("partitions").asInt(), entry.getKey() + " partitions");
                assertEquals(variable(script, "RETENTION_MS"), topic.path("spec").path("config").path("retention.ms").asText(),
                        entry.getKey() + " retention as in compose");
            }
        }
        assertEquals(inCode, inK8s, "KafkaTopic resources");

        // Every instance must consume every key event: nothing may give the services a shared group.
        List<String> groups = new ArrayList<>();
        for (String service : SERVICES) {
            composeEnvironment(service).forEach((name, value) -> {
                if (mentionsGroup(name) || mentionsGroup(value)) {
                    groups.add("docker-compose.yml " + service + ": " + name + "=" + value);
                }
            });
            for (String name : k8sEnvironmentNames(service)) {
                if (mentionsGroup(name)) {
                    groups.add("deploy/k8s " + service + ": " + name);
                }
            }
        }
        k8s("ConfigMap/postgate-config").path("data").fields().forEachRemaining(e -> {
            if (mentionsGroup(e.getKey()) || mentionsGroup(e.getValue().asText())) {
                groups.add("ConfigMap postgate-config: " + e.getKey());
            }
        });
        assertTrue(groups.isEmpty(), "A consumer group would split the key events between instances:\n  " + String.join("\n  ", groups));
    }

    @Test
    void databaseAndBrokerNamesAgree() {
        JsonNode postgres = compose.path("services").path("postgres").path("environment");
        JsonNode cluster = k8s("Cluster/postgate-db");
        JsonNode config = k8s("ConfigMap/postgate-config").path("data");
        for (String service : SERVICES) {
            Map<String, String> env = composeEnvironment(service);
            assertEquals("postgres", env.get("POSTGATE_DB_HOST"), service + " compose database host");
            assertEquals(postgres.path("POSTGRES_DB").asText(), env.get("POSTGATE_DB_NAME"), service + " compose database");
            assertEquals(postgres.path("POSTGRES_USER").asText(), env.get("POSTGATE_DB_USER"), service + " compose database user");
            assertEquals(postgres.path("POSTGRES_PASSWORD").asText(), env.get("POSTGATE_DB_PASSWORD"), service + " compose password");
            assertEquals("kafka:9092", env.get("KAFKA_BOOTSTRAP_SERVERS"), service + " compose Kafka");
            assertEquals("service_healthy", compose.path("services").path(service).path("depends_on").path("postgres").path("condition")
                    .asText(), service + " waits for a healthy postgres");

            // Kubernetes: the CloudNativePG application Secret holds the credentials.
            for (String variable : List.of("POSTGATE_DB_USER", "POSTGATE_DB_PASSWORD")) {
                JsonNode ref = envEntry(service, variable).path("valueFrom").path("secretKeyRef");
                assertEquals(cluster.path("metadata").path("name").asText() + "-app", ref.path("name").asText(),
                        service + " " + variable + " from CloudNativePG's Secret");
            }
        }
        assertTrue(compose.path("services").path("kafka").path("environment").path("KAFKA_ADVERTISED_LISTENERS").asText()
                .contains("://kafka:9092"), "the compose broker advertises kafka:9092");
        assertEquals(cluster.path("metadata").path("name").asText() + "-rw", config.path("POSTGATE_DB_HOST").asText(),
                "ConfigMap POSTGATE_DB_HOST is CloudNativePG's read-write Service");
        assertEquals(cluster.path("spec").path("bootstrap").path("initdb").path("database").asText(), config.path("POSTGATE_DB_NAME").asText(),
                "ConfigMap POSTGATE_DB_NAME is the database CloudNativePG creates");
        String kafkaCluster = k8s("KafkaTopic/postgate.api-keys.v1").path("metadata").path("labels").path("strimzi.io/cluster").asText();
        assertEquals(kafkaCluster + "-kafka-bootstrap:9092", config.path("KAFKA_BOOTSTRAP_SERVERS").asText(),
                "ConfigMap KAFKA_BOOTSTRAP_SERVERS is the bootstrap Service of the topics' Strimzi cluster");
    }

    // ------------------------------------------------------------------ (e) Kafka authentication and ACLs

    /** SPEC section 6, "Topic ACLs": user, access (write or read) and topic; nothing else is allowed. */
    static final Set<String> SPEC_ACLS = Set.of(
            "key-service write postgate.api-keys.v1",
            "key-service read postgate.instances.v1",
            "workspace-service write postgate.workspaces.v1",
            "workspace-service write postgate.credits.v1",
            "workspace-service write postgate.instances.v1",
            "workspace-service read postgate.api-keys.v1",
            "workspace-service read postgate.workspaces.v1",
            "publish-service write postgate.instances.v1",
            "publish-service read postgate.api-keys.v1",
            "publish-service read postgate.workspaces.v1");

    @Test
    void kafkaAclsFollowTheSpecInComposeAndKubernetes() throws IOException {
        assertEquals(new TreeSet<>(SPEC_ACLS), new TreeSet<>(aclTable()), "deploy/kafka-acls.txt (left: SPEC section 6)");

        // Kubernetes: one Strimzi KafkaUser per service, SCRAM, simple authorization, the same ACLs.
        String kafkaCluster = k8s("KafkaTopic/postgate.api-keys.v1").path("metadata").path("labels").path("strimzi.io/cluster").asText();
        Set<String> inK8s = new TreeSet<>();
        Set<String> users = new TreeSet<>();
        for (Map.Entry<String, JsonNode> entry : k8s.entrySet()) {
            if (!entry.getKey().startsWith("KafkaUser/")) {
                continue;
            }
            JsonNode user = entry.getValue();
            String name = user.path("metadata").path("name").asText();
            users.add(name);
            assertEquals(kafkaCluster, user.path("metadata").path("labels").path("strimzi.io/cluster").asText(),
                    entry.getKey() + " belongs to the topics' Strimzi cluster");
            assertEquals("scram-sha-512", user.path("spec").path("authentication").path("type").asText(), entry.getKey() + " authentication");
            assertEquals("simple", user.path("spec").path("authorization").path("type").asText(), entry.getKey() + " authorization");
            for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
                assertEquals("topic", acl.path("resource").path("type").asText(), entry.getKey() + ": only topic ACLs (no group is used)");
                assertEquals("literal", acl.path("resource").path("patternType").asText("literal"), entry.getKey() + " ACL pattern");
                assertTrue(acl.path("type").asText("allow").equals("allow"), entry.getKey() + ": allow ACLs only");
                Set<String> operations = new TreeSet<>(texts(acl.path("operations")));
                String access = operations.equals(Set.of("Describe", "Write")) ? "write"
                        : operations.equals(Set.of("Describe", "Read")) ? "read" : null;
                assertTrue(access != null, entry.getKey() + ": operations are Write+Describe or Read+Describe, not " + operations);
                inK8s.add(name + " " + access + " " + acl.path("resource").path("name").asText());
            }
        }
        assertEquals(new TreeSet<>(SERVICES), users, "a KafkaUser per service, named after it");
        assertEquals(new TreeSet<>(SPEC_ACLS), inK8s, "KafkaUser ACLs (left: SPEC section 6)");

        // Every topic the deployments create has its writer.
        String script = Files.readString(root.resolve("deploy/compose/create-topics.sh"));
        for (String topic : variable(script, "TOPICS").split("\\s+")) {
            assertTrue(SPEC_ACLS.stream().anyMatch(acl -> acl.endsWith(" write " + topic)), topic + " has a writer in the ACLs");
        }
    }

    @Test
    void servicesAuthenticateToKafkaWithTheirOwnUser() throws IOException {
        // Kubernetes: SCRAM over the cluster's listener; each Deployment's JAAS line from its KafkaUser's Secret.
        JsonNode config = k8s("ConfigMap/postgate-config").path("data");
        assertTrue(Set.of("SASL_PLAINTEXT", "SASL_SSL").contains(config.path("KAFKA_SECURITY_PROTOCOL").asText()),
                "ConfigMap KAFKA_SECURITY_PROTOCOL is SASL_*: " + config.path("KAFKA_SECURITY_PROTOCOL").asText());
        assertEquals("SCRAM-SHA-512", config.path("KAFKA_SASL_MECHANISM").asText(), "ConfigMap KAFKA_SASL_MECHANISM");
        for (String service : SERVICES) {
            JsonNode ref = envEntry(service, "KAFKA_SASL_JAAS_CONFIG").path("valueFrom").path("secretKeyRef");
            assertEquals(service, ref.path("name").asText(), service + " KAFKA_SASL_JAAS_CONFIG from the Secret of its KafkaUser");
            assertEquals("sasl.jaas.config", ref.path("key").asText(), service + " KAFKA_SASL_JAAS_CONFIG key (Strimzi's)");
            k8s("KafkaUser/" + service);
        }

        // docker-compose: each service is its own SCRAM user, with the password kafka-init gives that user.
        Map<String, String> init = environment(compose.path("services").path("kafka-init").path("environment"));
        Pattern jaas = Pattern.compile("^org\\.apache\\.kafka\\.common\\.security\\.scram\\.ScramLoginModule required "
                + "username=\"([\\w-]+)\" password=\"([^\"]+)\";$");
        for (String service : SERVICES) {
            Map<String, String> env = composeEnvironment(service);
            assertEquals("SASL_PLAINTEXT", env.get("KAFKA_SECURITY_PROTOCOL"), "docker-compose.yml " + service + " KAFKA_SECURITY_PROTOCOL");
            assertEquals("SCRAM-SHA-512", env.get("KAFKA_SASL_MECHANISM"), "docker-compose.yml " + service + " KAFKA_SASL_MECHANISM");
            Matcher line = jaas.matcher(String.valueOf(env.get("KAFKA_SASL_JAAS_CONFIG")));
            assertTrue(line.matches(), "docker-compose.yml " + service + " KAFKA_SASL_JAAS_CONFIG is a SCRAM login: " + env.get("KAFKA_SASL_JAAS_CONFIG"));
            assertEquals(service, line.group(1), "docker-compose.yml " + service + " logs in as its own user");
            String variable = "KAFKA_PASSWORD_" + service.toUpperCase().replace('-', '_');
            assertEquals(line.group(2), init.get(variable), "kafka-init " + variable + " is " + service + "'s password");
        }
        JsonNode kafkaInit = compose.path("services").path("kafka-init");
        assertEquals(List.of("/bin/sh", "/postgate/kafka-init.sh"), texts(kafkaInit.path("entrypoint")), "kafka-init entrypoint");
        assertTrue(texts(kafkaInit.path("volumes")).containsAll(List.of("./deploy/compose/kafka-init.sh:/postgate/kafka-init.sh:ro",
                "./deploy/kafka-acls.txt:/postgate/kafka-acls.txt:ro")), "kafka-init mounts its script and the ACL table");

        // The compose broker: SASL/SCRAM for clients, an authorizer that allows nothing without an ACL.
        JsonNode kafka = compose.path("services").path("kafka");
        Map<String, String> kafkaEnv = environment(kafka.path("environment"));
        assertEquals(List.of("/bin/sh", "/postgate/kafka/start.sh"), texts(kafka.path("entrypoint")), "kafka entrypoint");
        assertTrue(texts(kafka.path("volumes")).contains("./deploy/compose/kafka:/postgate/kafka:ro"), "kafka mounts deploy/compose/kafka");
        assertEquals(kafkaEnv.get("KAFKA_ADMIN_PASSWORD"), init.get("KAFKA_ADMIN_PASSWORD"), "kafka-init logs in as the broker's admin");
        assertTrue(String.join(" ", texts(kafka.path("healthcheck").path("test"))).contains("--command-config"),
                "the broker's health check authenticates");
        java.util.Properties broker = brokerProperties();
        assertEquals("org.apache.kafka.metadata.authorizer.StandardAuthorizer", broker.getProperty("authorizer.class.name"), "authorizer");
        assertEquals("false", broker.getProperty("allow.everyone.if.no.acl.found"), "nothing allowed without an ACL");
        assertEquals("SCRAM-SHA-512", broker.getProperty("sasl.enabled.mechanisms"), "SASL mechanisms");
        assertTrue(List.of(broker.getProperty("super.users").split(";")).contains("User:admin"), "admin is a super user");
        Map<String, String> protocols = new TreeMap<>();
        for (String entry : broker.getProperty("listener.security.protocol.map").split(",")) {
            protocols.put(entry.split(":")[0], entry.split(":")[1]);
        }
        for (String listener : broker.getProperty("listeners").split(",")) {
            String name = listener.substring(0, listener.indexOf("://"));
            String controller = broker.getProperty("controller.listener.names");
            assertTrue(protocols.get(name).startsWith("SASL_") || name.equals(controller) && listener.contains("://localhost:"),
                    "listener " + listener + ": clients authenticate (only the controller, on the container's loopback, does not)");
        }
        assertTrue(kafkaEnv.get("KAFKA_ADVERTISED_LISTENERS").startsWith("SASL_PLAINTEXT://"), "the advertised listener is the SASL one");
    }

    // ------------------------------------------------------------------ (f) what listens where

    @Test
    void localStackListensOnLoopbackWhileContainersListenOnAllInterfaces() throws IOException {
        // The no-Docker stack gives each service 127.0.0.1 (LocalStackIT checks the sockets), and a
        // service started without a host (java -jar) listens on loopback too.
        String stack = Files.readString(root.resolve("deploy/local/stack"));
        assertTrue(stack.contains("\"QUARKUS_HTTP_HOST=127.0.0.1\""), "deploy/local/stack starts the services with QUARKUS_HTTP_HOST=127.0.0.1");
        assertTrue(Files.readString(root.resolve("api-common/src/main/resources/META-INF/microprofile-config.properties"))
                .contains("\nquarkus.http.host=127.0.0.1\n"), "the services listen on loopback unless told otherwise");
        // Containers must be reachable from the proxy and the cluster: the images say so themselves.
        for (String service : SERVICES) {
            assertTrue(dockerfile(service, "jvm").contains("-Dquarkus.http.host=0.0.0.0"), service + " Dockerfile.jvm listens on all interfaces");
            assertTrue(dockerfile(service, "native").contains("-Dquarkus.http.host=0.0.0.0"), service + " Dockerfile.native listens on all interfaces");
            assertTrue(!composeEnvironment(service).containsKey("QUARKUS_HTTP_HOST") && !k8sEnvironmentNames(service).contains("QUARKUS_HTTP_HOST"),
                    service + ": compose and Kubernetes keep the images' host");
        }
    }

    @Test
    void jvmImagesSizeTheHeapFromTheContainerAndStartFromTheirOwnAppCdsArchive() throws IOException {
        for (String service : SERVICES) {
            String jvm = dockerfile(service, "jvm");
            Matcher options = Pattern.compile("(?m)^ENV JAVA_OPTS_APPEND=\"([^\"]*)\"").matcher(jvm);
            assertTrue(options.find(), service + " Dockerfile.jvm sets JAVA_OPTS_APPEND");
            List<String> flags = List.of(options.group(1).split("\\s+"));
            assertTrue(flags.stream().anyMatch(f -> f.startsWith("-XX:MaxRAMPercentage=")), service + ": heap as a share of the container's memory");
            assertTrue(flags.stream().noneMatch(f -> f.startsWith("-Xms") || f.startsWith("-Xmx")), service + ": no fixed heap (floor or size): " + flags);
            assertTrue(flags.contains("-XX:SharedArchiveFile=/deployments/app-cds.jsa"), service + " starts from its AppCDS archive");
            assertTrue(jvm.contains("-XX:ArchiveClassesAtExit=/deployments/app-cds.jsa -jar /deployments/quarkus-run.jar"),
                    service + " Dockerfile.jvm makes the archive with its own JVM and jar path");
        }
    }

    /** deploy/kafka-acls.txt as "user access topic" lines. */
    static List<String> aclTable() throws IOException {
        List<String> acls = new ArrayList<>();
        for (String line : Files.readAllLines(root.resolve("deploy/kafka-acls.txt"))) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] fields = trimmed.split("\\s+");
            assertEquals(3, fields.length, "deploy/kafka-acls.txt: user access topic: " + line);
            assertTrue(Set.of("write", "read").contains(fields[1]), "deploy/kafka-acls.txt: access is write or read: " + line);
            acls.add(String.join(" ", fields));
        }
        return acls;
    }

    static java.util.Properties brokerProperties() throws IOException {
        java.util.Properties properties = new java.util.Properties();
        try (var reader = Files.newBufferedReader(root.resolve("deploy/compose/kafka/server.properties"))) {
            properties.load(reader);
        }
        return properties;
    }

    /** A compose environment (map or list form) as a map. */
    static Map<String, String> environment(JsonNode environment) {
        Map<String, String> env = new TreeMap<>();
        if (environment.isArray()) {
            for (JsonNode entry : environment) {
                String[] parts = entry.asText().split("=", 2);
                env.put(parts[0], parts.length > 1 ? parts[1] : "");
            }
        } else {
            environment.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        }
        return env;
    }

    // ------------------------------------------------------------------ reading the files

    /** A service's configuration: api-common's shared defaults and its own application.properties. */
    record Configuration(String service, String text, Set<String> referenced, Set<String> propertyVariables) {
        static Configuration of(String service) {
            try {
                String text = Files.readString(root.resolve("api-common/src/main/resources/META-INF/microprofile-config.properties"))
                        + "\n" + Files.readString(root.resolve(service + "/src/main/resources/application.properties"));
                Set<String> referenced = new TreeSet<>();
                Matcher reference = Pattern.compile("\\$\\{([A-Za-z0-9_]+)").matcher(text);
                while (reference.find()) {
                    referenced.add(reference.group(1));
                }
                // MicroProfile Config maps a property to the variable of its name in upper case with
                // every other character than A-Z and 0-9 replaced by '_'.
                Set<String> properties = new TreeSet<>();
                Matcher key = Pattern.compile("(?m)^\\s*(?:%[\\w-]+\\.)?([^#!\\s=][^=\\s]*)\\s*=").matcher(text);
                while (key.find()) {
                    properties.add(key.group(1).toUpperCase().replaceAll("[^A-Z0-9]", "_"));
                }
                return new Configuration(service, text, referenced, properties);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** ${NAME} in the configuration, QUARKUS_... for a property present, or the image's own variables. */
        boolean reads(String name) {
            return referenced.contains(name) || IMAGE_VARIABLES.contains(name)
                    || name.startsWith("QUARKUS_") && propertyVariables.contains(name);
        }

        String why() {
            return "is not read: no ${…} for it in api-common's microprofile-config.properties or " + service
                    + "/src/main/resources/application.properties (QUARKUS_… must map to a property set there)";
        }

        /** Variables referenced without a default by a property that applies in prod. */
        Set<String> required() {
            Set<String> required = new TreeSet<>();
            for (String line : text.split("\n")) {
                String trimmed = line.trim();
                if (trimmed.startsWith("#") || trimmed.startsWith("%") && !trimmed.startsWith("%prod.")) {
                    continue;
                }
                Matcher noDefault = Pattern.compile("\\$\\{([A-Za-z0-9_]+)\\}").matcher(trimmed);
                while (noDefault.find()) {
                    if (noDefault.group(1).toUpperCase().equals(noDefault.group(1))) {
                        required.add(noDefault.group(1));
                    }
                }
            }
            return required;
        }
    }

    static int port(String service) {
        try {
            Matcher port = Pattern.compile("(?m)^quarkus\\.http\\.port=\\$\\{PORT:(\\d+)\\}$")
                    .matcher(Files.readString(root.resolve(service + "/src/main/resources/application.properties")));
            assertTrue(port.find(), service + "/src/main/resources/application.properties has quarkus.http.port=${PORT:…}");
            return Integer.parseInt(port.group(1));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String dockerfile(String service, String mode) throws IOException {
        return Files.readString(root.resolve(service + "/src/main/docker/Dockerfile." + mode));
    }

    static List<Integer> exposed(String service, String mode) throws IOException {
        List<Integer> ports = new ArrayList<>();
        Matcher expose = Pattern.compile("(?m)^EXPOSE\\s+(.+)$").matcher(dockerfile(service, mode));
        while (expose.find()) {
            for (String port : expose.group(1).trim().split("\\s+")) {
                ports.add(Integer.parseInt(port.replace("/tcp", "")));
            }
        }
        return ports;
    }

    static String lastUser(String dockerfile) {
        Matcher user = Pattern.compile("(?m)^USER\\s+(\\S+)").matcher(dockerfile);
        String last = null;
        while (user.find()) {
            last = user.group(1);
        }
        return last;
    }

    /** upstream name (as a service name) -> port of its server, from deploy/compose/nginx.conf. */
    static Map<String, Integer> nginxUpstreams() {
        try {
            String conf = Files.readString(root.resolve("deploy/compose/nginx.conf"));
            Map<String, Integer> upstreams = new TreeMap<>();
            Matcher block = Pattern.compile("upstream\\s+(\\w+)\\s*\\{([^}]*)\\}").matcher(conf);
            while (block.find()) {
                String service = block.group(1).replace('_', '-');
                Matcher server = Pattern.compile("server\\s+([\\w.-]+):(\\d+)").matcher(block.group(2));
                assertTrue(server.find(), "upstream " + block.group(1) + " has a server");
                assertEquals(service, server.group(1), "upstream " + block.group(1) + " points to the compose service " + service);
                upstreams.put(service, Integer.parseInt(server.group(2)));
            }
            return upstreams;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> composeEnvironment(String service) {
        JsonNode environment = compose.path("services").path(service).path("environment");
        Map<String, String> env = new TreeMap<>();
        if (environment.isArray()) {
            for (JsonNode entry : environment) {
                String[] parts = entry.asText().split("=", 2);
                env.put(parts[0], parts.length > 1 ? parts[1] : "");
            }
        } else {
            environment.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        }
        return env;
    }

    static JsonNode k8s(String id) {
        JsonNode object = k8s.get(id);
        assertTrue(object != null, "deploy/k8s/base has no " + id + " (has " + k8s.keySet() + ")");
        return object;
    }

    static JsonNode container(String service) {
        JsonNode containers = k8s("Deployment/" + service).path("spec").path("template").path("spec").path("containers");
        assertEquals(1, containers.size(), "Deployment " + service + " has one container");
        return containers.get(0);
    }

    static JsonNode envEntry(String service, String name) {
        for (JsonNode entry : container(service).path("env")) {
            if (name.equals(entry.path("name").asText())) {
                return entry;
            }
        }
        return fail("Deployment " + service + " does not set " + name);
    }

    /** Variables a Deployment's container gets: env entries and the keys of ConfigMaps in envFrom. */
    static Set<String> k8sEnvironmentNames(String service) {
        Set<String> names = new TreeSet<>(texts(container(service).path("env"), "name"));
        for (JsonNode from : container(service).path("envFrom")) {
            assertTrue(from.has("configMapRef"), service + ": envFrom other than a ConfigMap cannot be checked: " + from);
            k8s("ConfigMap/" + from.path("configMapRef").path("name").asText()).path("data").fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    static boolean mentionsGroup(String text) {
        return text != null && text.toLowerCase().matches(".*group[._-]?id.*");
    }

    static String variable(String script, String name) {
        Matcher value = Pattern.compile("(?m)^" + name + "=\"?([^\"\\n]*)\"?$").matcher(script);
        assertTrue(value.find(), "create-topics.sh sets " + name);
        return value.group(1);
    }

    static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    static List<String> texts(JsonNode array, String field) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.path(field).asText()));
        return texts;
    }

    static List<Path> yamlFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    static List<JsonNode> readAll(Path file) throws IOException {
        List<JsonNode> objects = new ArrayList<>();
        try (var values = YAML.readerFor(JsonNode.class).<JsonNode> readValues(file.toFile())) {
            while (values.hasNext()) {
                JsonNode object = values.next();
                if (object != null && !object.isNull() && !object.isMissingNode()) {
                    objects.add(object);
                }
            }
        }
        return objects;
    }

    // ------------------------------------------------------------------ tools

    /** A command's exit code, its standard output, and both outputs together for messages. */
    record Result(int exit, String stdout, String output) {
    }

    static Result run(Path dir, Map<String, String> env, Duration timeout, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().remove("QUARKUS_MODE");
        builder.environment().putAll(env);
        Path stdout = Files.createTempFile("postgate-deploy-check", ".out");
        Path stderr = Files.createTempFile("postgate-deploy-check", ".err");
        builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        Process process = builder.start();
        try {
            boolean finished = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String out = Files.readString(stdout, StandardCharsets.UTF_8);
            String both = out + Files.readString(stderr, StandardCharsets.UTF_8);
            return finished ? new Result(process.exitValue(), out, both)
                    : new Result(-1, out, String.join(" ", command) + " did not finish within " + timeout + ":\n" + both);
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    static boolean onPath(String command) throws IOException, InterruptedException {
        return run(Path.of("."), Map.of(), Duration.ofSeconds(10), "sh", "-c", "command -v " + command).exit == 0;
    }

    /** Installs a missing tool from Debian's packages when running as root; else skips the test. */
    static void ensureCommand(String command, String... packages) throws IOException, InterruptedException {
        if (onPath(command)) {
            return;
        }
        boolean root = run(Path.of("."), Map.of(), Duration.ofSeconds(10), "id", "-u").stdout.trim().equals("0");
        Assumptions.assumeTrue(root && onPath("apt-get"),
                command + " is not installed and cannot be installed here (needs root and apt-get): install the Debian package "
                        + String.join(" ", packages));
        Map<String, String> env = Map.of("DEBIAN_FRONTEND", "noninteractive");
        // Waits for another install (.ci/run installs the test tools in the background) instead of failing on its lock.
        List<String> install = new ArrayList<>(List.of("apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "-qq"));
        install.addAll(List.of(packages));
        Result result = run(Path.of("."), env, Duration.ofMinutes(12), install.toArray(String[]::new));
        if (result.exit != 0) {
            run(Path.of("."), env, Duration.ofMinutes(5), "apt-get", "-o", "DPkg::Lock::Timeout=600", "update", "-qq");
            result = run(Path.of("."), env, Duration.ofMinutes(12), install.toArray(String[]::new));
        }
        Assumptions.assumeTrue(result.exit == 0 && onPath(command),
                "could not install " + String.join(" ", packages) + " for " + command + ":\n" + result.output);
    }

    static boolean kustomizeAvailable() throws IOException, InterruptedException {
        if (!onPath("kubectl")) {
            return false;
        }
        Matcher version = Pattern.compile("Kustomize Version: v(\\d+)")
                .matcher(run(Path.of("."), Map.of(), Duration.ofSeconds(30), "kubectl", "version", "--client").stdout);
        return version.find() && Integer.parseInt(version.group(1)) >= 4;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
