package dev.postgate.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.postgate.it.DeploymentFiles.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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

    /**
     * A setting an operator sets by environment variable is written once, as {@code ${VARIABLE:default}}
     * in the properties file operators read: its {@code @ConfigMapping} method gives no second default
     * that could drift from it.
     */
    @Test
    void aSettingWithAVariableHasItsDefaultInOnePlace() throws IOException {
        Map<String, String> variables = new TreeMap<>();
        List<Path> properties = new ArrayList<>(List.of(root.resolve("api-common/src/main/resources/META-INF/microprofile-config.properties")));
        for (String service : SERVICES) {
            properties.add(root.resolve(service + "/src/main/resources/application.properties"));
        }
        Pattern withVariable = Pattern.compile("(?m)^([a-z][^=%\\s]*)=\\$\\{([A-Z0-9_]+):.*}\\s*$");
        for (Path file : properties) {
            Matcher setting = withVariable.matcher(Files.readString(file));
            while (setting.find()) {
                variables.put(setting.group(1), setting.group(2));
            }
        }
        Pattern mapping = Pattern.compile("@ConfigMapping\\(prefix = \"([^\"]+)\"\\)");
        Pattern defaulted = Pattern.compile("(?:@WithName\\(\"([^\"]+)\"\\)\\s*)?@WithDefault\\(\"[^\"]*\"\\)\\s*"
                + "(?:@WithName\\(\"([^\"]+)\"\\)\\s*)?[\\w<>.,? ]+\\s(\\w+)\\(\\);");
        List<String> twice = new ArrayList<>();
        List<Path> sources = new ArrayList<>();
        List<String> modules = new ArrayList<>(List.of("api-common", "key-client"));
        modules.addAll(SERVICES);
        for (String module : modules) {
            try (Stream<Path> files = Files.walk(root.resolve(module + "/src/main/java"))) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(sources::add);
            }
        }
        int mappings = 0;
        for (Path source : sources) {
            String text = Files.readString(source);
            Matcher prefix = mapping.matcher(text);
            if (!prefix.find()) {
                continue;
            }
            mappings++;
            Matcher method = defaulted.matcher(text);
            while (method.find()) {
                String named = method.group(1) != null ? method.group(1) : method.group(2);
                String name = named != null ? named : method.group(3).replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
                String property = prefix.group(1) + "." + name;
                if (variables.containsKey(property)) {
                    twice.add(property + ": @WithDefault in " + source.getFileName() + " and ${" + variables.get(property) + ":…} in the properties");
                }
            }
        }
        assertTrue(mappings > 10 && variables.size() > 10, mappings + " mappings, " + variables.size() + " settings with a variable: the search broke");
        assertTrue(twice.isEmpty(), "Defaults written twice:\n  " + String.join("\n  ", twice));
    }
}
