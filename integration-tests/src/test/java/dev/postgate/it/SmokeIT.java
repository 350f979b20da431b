package dev.postgate.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

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
}
