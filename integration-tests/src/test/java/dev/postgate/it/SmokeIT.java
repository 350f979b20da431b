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
    static ServiceProcess keys;
    static ServiceProcess workspaces;
    static ServiceProcess publish;
    static Proxy proxy;

    @BeforeAll
    static void start() {
        keys = ServiceProcess.of("key-service").name("smoke-key-service").start();
        workspaces = ServiceProcess.of("workspace-service").name("smoke-workspace-service").keyService(keys.baseUrl()).start();
        publish = ServiceProcess.of("publish-service").name("smoke-publish-service").keyService(keys.baseUrl())
                .workspaceService(workspaces.baseUrl()).start();
        proxy = Proxy.start(List.of(keys), List.of(workspaces), List.of(publish));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        for (ServiceProcess service : new ServiceProcess[] { publish, workspaces, keys }) {
            if (service != null) {
                service.stop();
            }
        }
    }

    @Test
    void everyServiceAnswersItsHealthPaths() {
        for (ServiceProcess service : List.of(keys, workspaces, publish)) {
            given().baseUri(service.baseUrl()).get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
            given().baseUri(service.baseUrl()).get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
            given().baseUri(service.baseUrl()).get("/q/metrics").then().statusCode(200);
            given().baseUri(service.baseUrl()).get("/q/openapi").then().statusCode(200);
        }
    }

    @Test
    void theProxyAnswersItsHealthPathAndRoutesByPrefix() {
        given().baseUri(proxy.baseUrl()).get("/health").then().statusCode(200).body("status", equalTo("UP"));
        // Each service answers a missing credential with its own 401 envelope: the route reached it.
        given().baseUri(proxy.baseUrl()).get("/api/v1/keys").then().statusCode(401)
                .body("error.code", equalTo("UNAUTHORIZED")).body("meta.request_id", startsWith("req_"));
        given().baseUri(proxy.baseUrl()).get("/api/v1/workspaces").then().statusCode(401).body("error.reason", equalTo("missing"));
        given().baseUri(proxy.baseUrl()).get("/api/v1/whoami").then().statusCode(401).body("error.reason", equalTo("missing"));
        // Internal paths are never routed.
        given().baseUri(proxy.baseUrl()).get("/internal/v1/workspaces/ws_1").then().statusCode(404)
                .body("error.code", equalTo("NOT_FOUND"));
    }
}
