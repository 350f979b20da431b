package dev.postgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.postgate.common.testing.PostgateInfra;

/**
 * What the deployment tests read: docker-compose.yml, the Kubernetes manifests under deploy/k8s/base,
 * the nginx routes, the Dockerfiles and the services' configuration, read once per test run; and the tools
 * they run (docker-compose, the offline Kubernetes validator).
 */
final class DeploymentFiles {
    private DeploymentFiles() {
    }

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

    static synchronized void read() throws IOException {
        if (root != null) {
            return;
        }
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

        /** The value {@code name} has outside any profile, or null. */
        String property(String name) {
            Matcher value = Pattern.compile("(?m)^\\s*" + Pattern.quote(name) + "\\s*=\\s*(.*?)\\s*$").matcher(text);
            String last = null;
            while (value.find()) {
                last = value.group(1);
            }
            return last;
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
        return environment(compose.path("services").path(service).path("environment"));
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

    /** Every module's code (api-common, key-client and the services), as the checks that read it want it. */
    static final List<String> MODULES = List.of("api-common", "key-client", "key-service", "workspace-service", "publish-service");

    /** The Java sources under {@code src/main/java} of each of {@code modules}, below {@code root}. */
    static List<Path> mainSources(Path root, List<String> modules) throws IOException {
        List<Path> sources = new ArrayList<>();
        for (String module : modules) {
            try (Stream<Path> files = Files.walk(root.resolve(module + "/src/main/java"))) {
                files.filter(p -> p.toString().endsWith(".java")).sorted().forEach(sources::add);
            }
        }
        return sources;
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

    /**
     * Skips the test when a tool it needs is not installed. Tests install nothing: deploy/local/test-tools.sh
     * installs the tools (the integration-tests build runs it before the tests; .ci/run starts it early).
     */
    static void requireCommand(String command, String... packages) throws IOException, InterruptedException {
        Assumptions.assumeTrue(onPath(command), command + " is not installed: deploy/local/test-tools.sh installs it where it can "
                + "(the build runs it; Debian package " + String.join(" ", packages) + ")");
    }

    /**
     * The npm packages of integration-tests/src/test/resources/{@code name}, as deploy/local/test-tools.sh
     * installed them (npm ci) in integration-tests/target/{@code name}; skips without npm, fails when npm is
     * there but the packages are not.
     */
    static Path installedNpmPackages(String name) throws IOException, InterruptedException {
        requireCommand("npm", "npm");
        Path dir = PostgateInfra.repositoryRoot().resolve("integration-tests/target").resolve(name);
        assertTrue(Files.isRegularFile(dir.resolve("node_modules/.postgate-stamp")),
                "the npm packages of " + name + " are not installed in " + dir + ": run deploy/local/test-tools.sh (the build does)");
        return dir;
    }

    static boolean kustomizeAvailable() throws IOException, InterruptedException {
        if (!onPath("kubectl")) {
            return false;
        }
        Matcher version = Pattern.compile("Kustomize Version: v(\\d+)")
                .matcher(run(Path.of("."), Map.of(), Duration.ofSeconds(30), "kubectl", "version", "--client").stdout);
        return version.find() && Integer.parseInt(version.group(1)) >= 4;
    }
}
