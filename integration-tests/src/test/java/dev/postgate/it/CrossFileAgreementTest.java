package dev.postgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.postgate.it.DeploymentFiles.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Ports, health checks, image names, Kafka topics and database and broker names agree across the
 * services' properties, the Dockerfiles, docker-compose.yml, the nginx routes and the Kubernetes manifests.
 */
class CrossFileAgreementTest {
    @BeforeAll
    static void readFiles() throws IOException {
        DeploymentFiles.read();
    }

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
    void kafkaTopicsAgreeAndNoConsumerGroupIsConfigured() throws IOException {
        // The topics the code uses: NAME = "..." of the shared topics (api-common's *Topic classes),
        // TOPIC = "..." of a topic only one service writes.
        Set<String> inCode = new TreeSet<>();
        for (Path source : mainSources(root, MODULES)) {
            Matcher topic = Pattern.compile("String (?:TOPIC|NAME) = \"(postgate\\.[^\"]+)\"").matcher(Files.readString(source));
            while (topic.find()) {
                inCode.add(topic.group(1));
            }
        }
        assertEquals(Set.of("postgate.api-keys.v1", "postgate.workspaces.v1", "postgate.credits.v1", "postgate.instances.v1"), inCode,
                "topics in the code");
        // A consuming instance trusts its cache only while the topics it reads carry heartbeats, which their writers' relays send.
        assertEquals("postgate.api-keys.v1", Configuration.of("key-service").property("postgate.outbox.heartbeat-topics"),
                "key-service's heartbeat topics");
        assertEquals("postgate.workspaces.v1", Configuration.of("workspace-service").property("postgate.outbox.heartbeat-topics"),
                "workspace-service's heartbeat topics");

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

}
