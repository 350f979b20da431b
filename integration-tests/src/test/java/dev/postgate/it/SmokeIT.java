package dev.postgate.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.ServiceProcess;

/** The packaged services start against the real PostgreSQL and Kafka, and nginx routes to each. */
class SmokeIT {
    static ProxiedStack stack;

    @BeforeAll
    static void start() {
        stack = ProxiedStack.named("smoke").start();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyServiceAnswersItsHealthPaths() {
        for (ServiceProcess service : List.of(stack.keys, stack.workspaces, stack.publish)) {
            given().baseUri(service.baseUrl()).get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
            given().baseUri(service.baseUrl()).get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
            given().baseUri(service.baseUrl()).get("/q/metrics").then().statusCode(200);
            given().baseUri(service.baseUrl()).get("/q/openapi").then().statusCode(200);
        }
    }

    @Test
    void theProxyAnswersItsHealthPathAndRoutesByPrefix() {
        given().baseUri(stack.proxy.baseUrl()).get("/health").then().statusCode(200).body("status", equalTo("UP"));
        // Each service answers a missing credential with its own 401 envelope: the route reached it.
        given().baseUri(stack.proxy.baseUrl()).get("/api/v1/keys").then().statusCode(401)
                .body("error.code", equalTo("UNAUTHORIZED")).body("meta.request_id", startsWith("req_"));
        given().baseUri(stack.proxy.baseUrl()).get("/api/v1/workspaces").then().statusCode(401).body("error.reason", equalTo("missing"));
        given().baseUri(stack.proxy.baseUrl()).get("/api/v1/whoami").then().statusCode(401).body("error.reason", equalTo("missing"));
        // Internal paths are never routed.
        given().baseUri(stack.proxy.baseUrl()).get("/internal/v1/workspaces/ws_1").then().statusCode(404)
                .body("error.code", equalTo("NOT_FOUND"));
    }

    /**
     * SPEC section 4 through nginx: a wrong method on a served path is a 405 naming its methods (the
     * dashboard's files and Swagger UI included), and where nothing is, OPTIONS is a 404 like GET.
     */
    @Test
    void aWrongMethodOnAServedPathIs405AndNothingIs404ThroughTheProxy() {
        for (String path : List.of("/docs", "/docs/index.html", "/dashboard/app.js")) {
            given().baseUri(stack.proxy.baseUrl()).redirects().follow(false).put(path).then().statusCode(405)
                    .header("Allow", "GET, HEAD").body("error.code", equalTo("METHOD_NOT_ALLOWED"));
        }
        for (String path : List.of("/api/v1/nope", "/api/v1/keys/nope/deeper", "/api/v1/workspaces/ws_1/nope")) {
            given().baseUri(stack.proxy.baseUrl()).options(path).then().statusCode(404).body("error.code", equalTo("NOT_FOUND"));
        }
    }

    /**
     * Start-up refuses what key-service's revocation receipts could not honour: a staleness window
     * longer than they wait for (InstancesTopic.MAX_STALENESS_WINDOW), set the way an operator sets it.
     */
    @Test
    void aStalenessWindowTheReceiptsCouldNotHonourRefusesToStart() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> ServiceProcess.of("publish-service")
                .name("smoke-refused-window").keyService(stack.keys.baseUrl()).workspaceService(stack.workspaces.baseUrl())
                .env("POSTGATE_KEY_CLIENT_STALENESS_WINDOW", "PT1H").start().close());
        assertTrue(refused.getMessage().contains(" exited with ")
                && refused.getMessage().contains("the longest window key-service's revocation receipts can honour"), refused::getMessage);
    }
}
