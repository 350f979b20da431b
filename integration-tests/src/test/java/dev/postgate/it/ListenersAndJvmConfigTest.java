package dev.postgate.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.postgate.it.DeploymentFiles.*;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What listens where (loopback locally, every interface in containers), and how the JVM images size
 * their heap and start from their own AppCDS archive.
 */
class ListenersAndJvmConfigTest {
    @BeforeAll
    static void readFiles() throws IOException {
        DeploymentFiles.read();
    }

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
            assertTrue(flags.contains("-XX:TrimNativeHeapInterval=5000"), service + " returns freed native memory to the system");
            assertTrue(jvm.contains("-XX:ArchiveClassesAtExit=/deployments/app-cds.jsa -jar /deployments/quarkus-run.jar"),
                    service + " Dockerfile.jvm makes the archive with its own JVM and jar path");
        }
    }

    /**
     * A rolling deploy cuts no request off (FaultsIT.aServiceToldToStopAnswersTheRequestsItIsServing
     * shows the service's half): each pod pauses before it is told to stop, so the Ingress stops
     * sending it requests first, then the service finishes the ones it is serving, all within the
     * pod's grace period.
     */
    @Test
    void aStoppingPodFinishesItsRequestsWithinItsGracePeriod() throws IOException {
        Matcher timeout = Pattern.compile("(?m)^quarkus\\.shutdown\\.timeout=\\$\\{POSTGATE_SHUTDOWN_TIMEOUT:(\\d+)s}$")
                .matcher(Files.readString(root.resolve("api-common/src/main/resources/META-INF/microprofile-config.properties")));
        assertTrue(timeout.find(), "the services finish their requests when told to stop (quarkus.shutdown.timeout)");
        int finishing = Integer.parseInt(timeout.group(1));
        for (String service : SERVICES) {
            com.fasterxml.jackson.databind.JsonNode command = container(service).path("lifecycle").path("preStop").path("exec").path("command");
            assertTrue(command.size() == 2 && "sleep".equals(command.get(0).asText()), service + " pauses before it is told to stop: " + command);
            int pause = Integer.parseInt(command.get(1).asText());
            int grace = k8s("Deployment/" + service).path("spec").path("template").path("spec").path("terminationGracePeriodSeconds").asInt(30);
            assertTrue(pause > 0 && pause + finishing < grace, service + ": pause " + pause + " s + finishing " + finishing
                    + " s within the grace period of " + grace + " s");
            String composeGrace = compose.path("services").path(service).path("stop_grace_period").asText("10s");
            assertTrue(composeGrace.matches("\\d+s") && finishing < Integer.parseInt(composeGrace.replace("s", "")),
                    service + ": finishing " + finishing + " s within compose's stop_grace_period " + composeGrace);
        }
    }
}
