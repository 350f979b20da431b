package dev.postgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.postgate.it.DeploymentFiles.*;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Kafka authentication and ACLs (SPEC section 6, "Topic ACLs"): deploy/kafka-acls.txt, compose and
 * Kubernetes give each service its own user and exactly the ACLs the SPEC lists.
 */
class KafkaSecurityConfigTest {
    @BeforeAll
    static void readFiles() throws IOException {
        DeploymentFiles.read();
    }


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

}
