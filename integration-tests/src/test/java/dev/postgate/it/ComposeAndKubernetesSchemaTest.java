package dev.postgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static dev.postgate.it.DeploymentFiles.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * docker-compose.yml is valid for docker-compose's own {@code config}, and the Kubernetes manifests
 * (deploy/k8s) validate offline against the Kubernetes schemas (node, integration-tests/src/test/resources/k8s-validate).
 * Nothing builds an image or starts a container.
 */
class ComposeAndKubernetesSchemaTest {
    @BeforeAll
    static void readFiles() throws IOException {
        DeploymentFiles.read();
    }

    @Test
    void composeFileIsValidForDockerCompose() throws Exception {
        requireCommand("docker-compose", "docker-compose");
        Result quiet = run(root, Map.of(), Duration.ofMinutes(1), "docker-compose", "-f", "docker-compose.yml", "config", "-q");
        assertEquals(0, quiet.exit(), "docker-compose -f docker-compose.yml config -q failed:\n" + quiet.output());

        // Both modes resolve to an existing Dockerfile and the matching image tag.
        for (String mode : List.of("jvm", "native")) {
            Result resolved = run(root, Map.of("QUARKUS_MODE", mode), Duration.ofMinutes(1), "docker-compose", "-f",
                    "docker-compose.yml", "config");
            assertEquals(0, resolved.exit(), "docker-compose config with QUARKUS_MODE=" + mode + " failed:\n" + resolved.output());
            JsonNode services = YAML.readTree(resolved.stdout()).path("services");
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


    @Test
    void kubernetesManifestsValidateOffline() throws Exception {
        Path dir = installedNpmPackages("k8s-validate");
        try (InputStream in = ComposeAndKubernetesSchemaTest.class.getResourceAsStream("/k8s-validate/validate.mjs")) {
            if (in == null) {
                fail("k8s-validate/validate.mjs is not on the test classpath");
            }
            Files.copy(in, dir.resolve("validate.mjs"), StandardCopyOption.REPLACE_EXISTING);
        }

        List<String> command = new ArrayList<>(List.of("node", "validate.mjs", root.toString()));
        // kubectl (when installed, with kustomize v4 or later) renders the kustomizations too: the
        // validator checks its output and compares it with its own rendering.
        if (kustomizeAvailable()) {
            for (String kustomization : List.of("deploy/k8s/base", "deploy/k8s/overlays/example")) {
                Result rendered = run(root, Map.of(), Duration.ofMinutes(1), "kubectl", "kustomize", kustomization);
                assertEquals(0, rendered.exit(), "kubectl kustomize " + kustomization + " failed:\n" + rendered.output());
                Path file = dir.resolve("kubectl-" + kustomization.replace('/', '-') + ".yaml");
                Files.writeString(file, rendered.stdout());
                command.add(kustomization + "=" + file);
            }
        } else {
            System.out.println("kubectl with kustomize v4+ is not installed: the overlay is rendered by validate.mjs only");
        }
        Result validation = run(dir, Map.of(), Duration.ofMinutes(2), command.toArray(String[]::new));
        System.out.println(validation.output());
        assertEquals(0, validation.exit(), "deploy/k8s does not validate:\n" + validation.output());
    }

}
