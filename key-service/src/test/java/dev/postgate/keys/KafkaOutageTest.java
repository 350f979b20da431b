package dev.postgate.keys;

import static dev.postgate.keys.KeyApi.id;
import static dev.postgate.keys.KeyApi.secret;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.TopicRecorder;
import dev.postgate.common.testing.TopicRecorder.Received;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * SPEC section 6: a revocation is never lost. The real broker is stopped, a key is revoked (the
 * API keeps answering), the broker comes back, and the event arrives. Stopping the shared local
 * broker disturbs anything else using it for a few seconds; the broker is always started again.
 */
@QuarkusTest
@Tag("fault")
class KafkaOutageTest {
    private static final int KAFKA_PORT = dev.postgate.common.testing.PostgateInfra.kafkaPort();

    @Test
    void revocationDuringAKafkaOutageIsPublishedWhenTheBrokerReturns() throws Exception {
        String org = KeyApi.newOrg();
        Map<String, Object> key = KeyApi.create(org);
        try (TopicRecorder topic = TopicRecorder.fromEnd(KeyApi.TOPIC)) {
            try {
                kafka("stop");
                assertFalse(brokerAnswers(), "deploy/local/kafka.sh stop left a broker on port " + KAFKA_PORT
                        + " (one not started by deploy/local/kafka.sh cannot be stopped by this test)");

                Instant before = Instant.now();
                Response revoke = KeyApi.admin(org).post(KeyApi.KEYS + "/" + id(key) + "/revoke");
                Duration took = Duration.between(before, Instant.now());
                assertEquals(200, revoke.statusCode(), revoke.asString());
                assertEquals("revoked", KeyApi.data(revoke).get("status"));
                assertTrue(took.compareTo(Duration.ofSeconds(15)) < 0, () -> "revoke took " + took + " while Kafka was down");

                assertEquals("revoked", KeyApi.verified(secret(key)).get("status"), "verification does not need Kafka");
                given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/group/kafka").then()
                        .statusCode(503).body("status", equalTo("DOWN")));
            } finally {
                kafka("start");
            }
            Received event = topic.await(r -> r.isAbout(id(key)) && "api_key.revoked".equals(r.type()), Duration.ofSeconds(180),
                    "api_key.revoked after the broker came back");
            assertEquals(2, ((Number) event.json().get("seq")).intValue());
            assertEquals(org, event.json().get("org_id"));
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/group/kafka").then()
                .statusCode(200).body("status", equalTo("UP")));
    }

    /** Runs deploy/local/kafka.sh from the repository root; output goes to target/kafka-fault.log. */
    private static void kafka(String command) throws IOException, InterruptedException {
        Path root = PostgateInfra.repositoryRoot();
        File log = new File("target/kafka-fault.log");
        Process process = new ProcessBuilder("bash", "deploy/local/kafka.sh", command)
                .directory(root.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                .start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroy();
            throw new IllegalStateException("deploy/local/kafka.sh " + command + " did not finish, see " + log.getAbsolutePath());
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("deploy/local/kafka.sh " + command + " failed, see " + log.getAbsolutePath());
        }
    }

    private static boolean brokerAnswers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", KAFKA_PORT), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
