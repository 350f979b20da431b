package dev.postgate.workspaces;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.KeyServiceResource;
import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.ServiceFoundationTest;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The service's footing ({@link ServiceFoundationTest}) and how its OpenAPI document tells a grant's Idempotency-Key. */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeyServiceResource.class, scope = TestResourceScope.GLOBAL)
class WorkspaceServiceFoundationTest extends ServiceFoundationTest {

    @Override
    protected List<String> publicPaths() {
        return List.of("/api/v1/workspaces/{id}", "/api/v1/workspaces/{workspaceId}/credits/grants", "/api/v1/accounts",
                "/api/v1/calendar/{id}", "/api/v1/account/credits");
    }

    @Override
    protected List<String> kafkaChecks() {
        return List.of("kafka", "outbox-relay", "key-and-workspace-events-consumer");
    }

    @Override
    protected List<String> metrics() {
        return List.of("postgate_kafka_connected", "postgate_outbox_published_total", "postgate_outbox_healthy",
                "postgate_key_events_consumer_state");
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
