package dev.postgate.publish;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

import dev.postgate.common.kafka.WorkspacesTopic;
import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.WorkspaceServiceResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * SPEC section 6: a deleted workspace is refused everywhere within a second, with no clause for a
 * broker that does not carry the deletion's event.
 */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WorkspaceServiceResource.class, scope = TestResourceScope.GLOBAL)
class WorkspaceDeletionOutageTest {

    /**
     * Found by review (left open at stop 52): while the workspace topic took no record (here the
     * broker refuses every record of it as too large: no heartbeat, no deletion event), an
     * instance trusted what it had cached of the workspace for its whole staleness window (5 s),
     * and served requests in a workspace deleted meanwhile. Workspace facts are trusted only while
     * the workspace topic's newest heartbeat is at most a second old; after that every check asks
     * workspace-service, which knows of the deletion.
     */
    @Test
    void aWorkspaceDeletedWhileItsEventCannotReachTheBrokerIsRefusedWithinASecond() throws Exception {
        Api.Tenant tenant = Api.tenant(0);
        IssuedKey key = tenant.key("posts:read");
        assertEquals(200, tenant.as(key).get("/api/v1/posts").statusCode());
        assertEquals(200, tenant.as(key).get("/api/v1/posts").statusCode());

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, PostgateInfra.kafkaBootstrap()))) {
            long refusedAfterMs;
            try {
                alter(admin, new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "16"), AlterConfigOp.OpType.SET));
                // From here on no record of the workspace topic is taken; the instance's cache still counts as fresh.
                Response deleted = Api.admin(tenant.org()).delete("/api/v1/workspaces/" + tenant.workspaceId());
                assertEquals(200, deleted.statusCode(), deleted.asString());
                long start = System.nanoTime();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                        .until(() -> tenant.as(key).get("/api/v1/posts").statusCode() == 403);
                refusedAfterMs = (System.nanoTime() - start) / 1_000_000;
            } finally {
                alter(admin, new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, ""), AlterConfigOp.OpType.DELETE));
            }
            // A second by the SPEC; the bound leaves a busy machine room, well short of the 5 s window.
            assertTrue(refusedAfterMs < 3000, "the deleted workspace was served for " + refusedAfterMs + " ms");
        }
        Response refused = tenant.as(key).get("/api/v1/posts");
        assertEquals(403, refused.statusCode(), refused.asString());
        assertEquals("WORKSPACE_FORBIDDEN", refused.path("error.code"));
    }

    private static void alter(Admin admin, AlterConfigOp op) throws Exception {
        Map<ConfigResource, Collection<AlterConfigOp>> change = Map.of(new ConfigResource(ConfigResource.Type.TOPIC, WorkspacesTopic.NAME),
                List.of(op));
        admin.incrementalAlterConfigs(change).all().get();
    }
}
