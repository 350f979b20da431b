package dev.postgate.common.testing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.restassured.response.Response;

/**
 * A service's footing, the same on every service: liveness, readiness that follows the database
 * only (SPEC section 1: Kafka, the outbox relay and the event consumer are separate checks, as the
 * services keep working without Kafka), the Kafka health group, Prometheus metrics, and an
 * OpenAPI document of the public API that never describes {@code /internal}. Each service
 * subclasses it once as a {@code @QuarkusTest} and names its public paths, its Kafka checks and
 * its metrics.
 */
public abstract class ServiceFoundationTest {

    /** Paths of this service's public API that its OpenAPI document must describe. */
    protected abstract List<String> publicPaths();

    /** The checks of this service's {@code kafka} health group. */
    protected abstract List<String> kafkaChecks();

    /** Metrics of this service's own that {@code /q/metrics} must carry from the start. */
    protected abstract List<String> metrics();

    @Test
    public void livenessIsUp() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    public void readinessIsUpAndReflectsTheDatabaseOnly() {
        Response response = given().get("/q/health/ready");
        assertEquals(200, response.statusCode(), response.asString());
        assertEquals("UP", response.path("status"));
        List<String> names = response.path("checks.name");
        assertFalse(names.isEmpty(), response.asString());
        assertTrue(names.stream().allMatch(n -> n.toLowerCase().contains("database") || n.toLowerCase().contains("postgresql")),
                () -> "readiness must list the database checks only: " + names);
        assertTrue(names.stream().noneMatch(kafkaChecks()::contains), names::toString);
    }

    @Test
    public void kafkaHealthGroupReportsItsChecks() {
        String[] expected = kafkaChecks().toArray(String[]::new);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/group/kafka").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems(expected)));
    }

    @Test
    public void metricsAnswerPrometheusText() {
        String text = given().accept("text/plain").get("/q/metrics").then().statusCode(200)
                .contentType(containsString("text/plain"))
                .body(containsString("# TYPE"))
                .extract().asString();
        for (String metric : metrics()) {
            assertTrue(text.contains("\n" + metric + " ") || text.contains("\n" + metric + "{"), () -> "no " + metric + " in /q/metrics");
        }
    }

    @Test
    public void openApiDescribesThePublicApiButNeverTheInternalOne() {
        // SPEC section 9: the document describes the public API, never /internal.
        String document = given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body(not(containsString("/internal/v1")))
                .extract().asString();
        for (String path : publicPaths()) {
            assertTrue(document.contains("\"" + path + "\""), () -> "the document lacks " + path);
        }
    }
}
