package dev.postgate.workspaces;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.KeyServiceResource;
import dev.postgate.common.testing.PostgateInfra;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The service's footing: health, metrics and the OpenAPI document answer. */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeyServiceResource.class, scope = TestResourceScope.GLOBAL)
class WorkspaceServiceFoundationTest {

    @Test
    void readinessIsUpAndReflectsTheDatabaseOnly() {
        Response response = given().get("/q/health/ready");
        assertEquals(200, response.statusCode(), response.asString());
        List<String> names = response.path("checks.name");
        assertFalse(names.isEmpty(), response.asString());
        assertTrue(names.stream().allMatch(n -> n.toLowerCase().contains("database") || n.toLowerCase().contains("postgresql")),
                () -> "readiness must list the database checks only: " + names);
    }

    @Test
    void kafkaHealthGroupReportsTheBrokerAndTheOutboxRelay() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/group/kafka").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("kafka", "outbox-relay")));
    }

    @Test
    void metricsAnswerPrometheusText() {
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("postgate_outbox_published_total"));
    }

    @Test
    void openApiDescribesTheWorkspaceApiButNeverTheInternalOne() {
        // SPEC section 9: the document describes the public API, never /internal.
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/v1/workspaces/{id}"))
                .body(containsString("/api/v1/workspaces/{workspaceId}/credits/grants"))
                .body(containsString("/api/v1/accounts"))
                .body(containsString("/api/v1/calendar/{id}"))
                .body(containsString("/api/v1/account/credits"))
                .body(not(containsString("/internal/v1")));
    }

    @Test
    void theGrantsIdempotencyKeyIsDocumentedAsItWorksNotAsAStoredAnswer() {
        // A dashboard grant stores no answer (SPEC section 4): its key makes the grant once, and another body is 409.
        io.restassured.path.json.JsonPath document = given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .extract().jsonPath();
        String grant = "paths.'/api/v1/workspaces/{workspaceId}/credits/grants'.post";
        String description = document.getString(grant + ".parameters.find { it.name == 'Idempotency-Key' }.description");
        assertTrue(description.contains("made once") && description.contains("409 IDEMPOTENCY_CONFLICT"), description);
        assertFalse(description.contains("replayed, with"), description);
        String conflicts = document.getString(grant + ".responses.'409'.description");
        assertTrue(conflicts.contains("IDEMPOTENCY_CONFLICT"), conflicts);
    }
}
