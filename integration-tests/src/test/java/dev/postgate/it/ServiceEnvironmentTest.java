package dev.postgate.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.postgate.it.DeploymentFiles.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every environment variable a deployment file sets for a service is read by its configuration, and
 * every one its configuration requires is set.
 */
class ServiceEnvironmentTest {
    @BeforeAll
    static void readFiles() throws IOException {
        DeploymentFiles.read();
    }

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

}
