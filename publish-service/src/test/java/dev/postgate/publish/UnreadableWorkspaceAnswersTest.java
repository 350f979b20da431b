package dev.postgate.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.postgate.common.auth.ServiceTokens;
import dev.postgate.common.client.InternalApi;
import dev.postgate.common.errors.ApiException;
import dev.postgate.common.errors.ForbiddenException;
import dev.postgate.common.http.ServiceUrls;
import dev.postgate.common.testing.LocalPeer;
import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.WorkspaceServiceResource;
import dev.postgate.keyclient.KeyClientConfig;
import dev.postgate.keyclient.WorkspaceClientConfig;
import dev.postgate.keyclient.WorkspaceServiceClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * An internal answer that says 200 but cannot be read (not JSON, or JSON without its data) is "no
 * clear answer": 503 UNAVAILABLE for the caller, never a NullPointerException answered as a 500.
 */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WorkspaceServiceResource.class, scope = TestResourceScope.GLOBAL)
class UnreadableWorkspaceAnswersTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    Vertx vertx;

    @Inject
    ServiceTokens tokens;

    @Inject
    WorkspaceClientConfig workspaceConfig;

    @Inject
    KeyClientConfig keyClientConfig;

    private volatile String body;
    private volatile int status;
    private HttpServer server;
    private WorkspaceServiceClient client;

    @BeforeEach
    void peer() {
        server = LocalPeer.start(exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        String url = LocalPeer.url(server);
        client = new WorkspaceServiceClient(vertx, new ServiceUrls() {
            @Override
            public String keyService() {
                return url;
            }

            @Override
            public String workspaceService() {
                return url;
            }
        }, workspaceConfig, keyClientConfig, tokens);
    }

    @AfterEach
    void close() {
        server.stop(0);
    }

    private void assertUnavailable(Supplier<Uni<?>> call, String what) {
        ApiException e = assertThrows(ApiException.class, () -> call.get().await().atMost(WAIT),
                what + " answered " + status + " " + body);
        assertEquals(503, e.status());
        assertEquals("UNAVAILABLE", e.code());
    }

    @Test
    void anUnreadableAnswerToAnyCallIsUnavailable() {
        for (String unreadable : List.of("this is not JSON", "{\"data\": null}", "{\"meta\": {}}", "[]")) {
            body = unreadable;
            status = 200;
            assertUnavailable(() -> client.accounts("ws_1", List.of("acct_1")), "accounts");
            assertUnavailable(() -> client.settle("res_1"), "settle");
            assertUnavailable(() -> client.refund("res_1"), "refund");
            assertUnavailable(() -> client.reserveAll("ws_1", List.of(new WorkspaceServiceClient.Hold(1, "k1", "post_1"))),
                    "reserveAll");
            status = 201;
            assertUnavailable(() -> client.reserve("ws_1", 1, "k2", "post_1"), "reserve");
            assertUnavailable(() -> client.reserveAll("ws_1", List.of(new WorkspaceServiceClient.Hold(1, "k1", "post_1"))),
                    "reserveAll");
            status = 200;
            assertThrows(InternalApi.Unreachable.class, () -> client.workspace("ws_1").await().atMost(WAIT), "workspace");
        }
    }

    @Test
    void aBatchAnswerWithTheWrongNumberOfReservationsIsUnavailable() {
        body = "{\"data\": {\"balance\": 5, \"items\": []}}";
        status = 201;
        assertUnavailable(() -> client.reserveAll("ws_1", List.of(new WorkspaceServiceClient.Hold(1, "k1", "post_1"))),
                "reserveAll");
    }

    /** The balance after a batch is workspace-service's to state (it is the caller's X-Credits-Remaining): without it, no clear answer. */
    @Test
    void aBatchAnswerWithoutItsBalanceIsUnavailable() {
        status = 201;
        String item = "{\"id\": \"res_1\", \"balance\": 5, \"expires_at\": \"2030-01-01T00:00:00Z\", \"status\": \"reserved\"}";
        for (String unreadable : List.of("{\"data\": {\"items\": [" + item + "]}}",
                "{\"data\": {\"balance\": \"5\", \"items\": [" + item + "]}}")) {
            body = unreadable;
            assertUnavailable(() -> client.reserveAll("ws_1", List.of(new WorkspaceServiceClient.Hold(1, "k7", "post_1"))),
                    "reserveAll");
        }
        body = "{\"data\": {\"balance\": 4, \"items\": [" + item + "]}}";
        WorkspaceServiceClient.ReservedAll reserved = client.reserveAll("ws_1", List.of(new WorkspaceServiceClient.Hold(1, "k7",
                "post_1"))).await().atMost(WAIT);
        assertEquals(4, reserved.balance());
        assertEquals("res_1", reserved.items().get(0).id());
    }

    /** A hold whose expiry cannot be read is no clear answer either (not a DateTimeParseException answered as a 500). */
    @Test
    void aReservationWithAnUnreadableExpiryIsUnavailable() {
        status = 201;
        body = "{\"data\": {\"id\": \"res_1\", \"balance\": 5, \"expires_at\": \"soon\", \"status\": \"reserved\"}}";
        assertUnavailable(() -> client.reserve("ws_1", 1, "k5", "post_1"), "reserve");
        body = "{\"data\": {\"balance\": 5, \"items\": [{\"id\": \"res_1\", \"balance\": 5, \"expires_at\": \"soon\"}]}}";
        assertUnavailable(() -> client.reserveAll("ws_1", List.of(new WorkspaceServiceClient.Hold(1, "k6", "post_1"))),
                "reserveAll");
    }

    /** SPEC section 4: a deleted workspace is 403 WORKSPACE_FORBIDDEN for a caller; for the worker, it can pay for nothing. */
    @Test
    void aReserveInAWorkspaceThatIsGoneIsWorkspaceForbiddenAndCannotPay() {
        body = "{\"data\": null, \"error\": {\"code\": \"NOT_FOUND\", \"message\": \"Workspace ws_1 was not found.\"}}";
        status = 404;
        for (Supplier<Uni<?>> reserve : List.<Supplier<Uni<?>>>of(() -> client.reserve("ws_1", 1, "k3", "post_1"),
                () -> client.reserveAll("ws_1", List.of(new WorkspaceServiceClient.Hold(1, "k4", "post_1"))))) {
            ForbiddenException e = assertThrows(ForbiddenException.class, () -> reserve.get().await().atMost(WAIT));
            assertEquals(403, e.status());
            assertEquals("WORKSPACE_FORBIDDEN", e.code());
            assertTrue(WorkspaceServiceClient.cannotPay(e));
        }
    }
}
