package dev.postgate.publish;

import static dev.postgate.common.testing.EnvelopeChecks.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.WorkspaceServiceResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Issue 14, finding 1: {@code X-Workspace-Id} is well-formed or 403, never goes unencoded into
 * workspace-service's URL, and a workspace is known only under the id workspace-service answered
 * for, so that neither a path trick nor a decorated id reaches another (or a deleted) workspace.
 */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WorkspaceServiceResource.class, scope = TestResourceScope.GLOBAL)
class WorkspaceHeaderTest {

    private static Response posts(IssuedKey key, String workspaceHeader) {
        return io.restassured.RestAssured.given().header("Authorization", key.bearer()).header(Api.WORKSPACE_HEADER, workspaceHeader)
                .get(Api.POSTS);
    }

    @Test
    void aDecoratedOrMalformedWorkspaceIdIsForbiddenQuickly() {
        Api.Tenant a = Api.tenant(0);
        Api.Tenant b = Api.tenant(0);
        IssuedKey key = a.key("posts:read");
        assertEquals(200, posts(key, a.workspaceId()).statusCode());
        for (String header : List.of(a.workspaceId() + "/accounts", b.workspaceId() + "/../" + a.workspaceId(),
                a.workspaceId() + "?z", a.workspaceId() + "#x", "ws_x space", "ws_%2e%2e", "../../internal/v1/keys",
                a.workspaceId().toLowerCase(), "ws_" + "A".repeat(300))) {
            long started = System.nanoTime();
            Response response = posts(key, header);
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(403, response.statusCode(), header + " → " + response.asString());
            assertEquals("WORKSPACE_FORBIDDEN", response.path("error.code"), header);
            assertTrue(millis < Duration.ofSeconds(2).toMillis(), header + " took " + millis + " ms");
        }
    }

    @Test
    void aDeletedWorkspaceIsNotReachableUnderADecoratedId() {
        Api.Tenant tenant = Api.tenant(0);
        IssuedKey key = tenant.key("posts:read");
        assertEquals(200, posts(key, tenant.workspaceId()).statusCode());
        assertEquals(200, Api.admin(tenant.org()).delete("/api/v1/workspaces/" + tenant.workspaceId()).statusCode());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> error(posts(key, tenant.workspaceId()), 403, "WORKSPACE_FORBIDDEN"));
        for (String header : List.of(tenant.workspaceId() + "?z", tenant.workspaceId() + "/", tenant.workspaceId() + "%20")) {
            error(posts(key, header), 403, "WORKSPACE_FORBIDDEN");
        }
    }
}
