package dev.postgate.publish;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

import dev.postgate.common.kafka.InstancesTopic;
import dev.postgate.common.testing.KeyServiceResource;
import dev.postgate.common.testing.Metrics;
import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.TestKeys;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.WorkspaceServiceResource;
import dev.postgate.keyclient.InstanceReports;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * SPEC section 6: key-service counts an instance in a revocation's receipt only while it hears the
 * instance's alives. An instance whose alives stopped reaching the broker for longer than its
 * staleness window is left out of the receipts of revocations made meanwhile; when it is heard
 * again, what it cached before must not be served, since the revocation's event may not have
 * reached its consumer yet (a consumer may lag up to its window and still count as fresh).
 */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WorkspaceServiceResource.class, scope = TestResourceScope.GLOBAL)
class AnnouncementBreakTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    InstanceReports reports;

    /**
     * Found by review: after a break in its alives, the instance served its cache again as soon as
     * one alive was acknowledged. Here the broker refuses the alives (the instances topic takes no
     * record that large) until the instance is no longer announced; meanwhile the key is revoked
     * in key-service's table without an event, as a consumer that has not read that event yet sees
     * it; then the alives are taken again. The key, cached before the break, is refused.
     */
    @Test
    void aKeyCachedBeforeABreakInTheAlivesIsVerifiedAgainAfterIt() throws Exception {
        IssuedKey key = TestKeys.create(KeyServiceResource.url(), TestKeys.newOrg(), List.of("posts:read"));
        await().atMost(WAIT).until(() -> given().get("/q/health/group/kafka").statusCode() == 200 && reports.announced());
        given().header("Authorization", key.bearer()).get("/api/v1/whoami").then().statusCode(200);
        double misses = Metrics.sum("postgate_key_cache_misses_total");
        given().header("Authorization", key.bearer()).get("/api/v1/whoami").then().statusCode(200);
        assertEquals(misses, Metrics.sum("postgate_key_cache_misses_total"), "the key is answered from the cache");

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, PostgateInfra.kafkaBootstrap()))) {
            try {
                alter(admin, new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "64"), AlterConfigOp.OpType.SET));
                await().atMost(WAIT).until(() -> !reports.announced());
                assertEquals(1, Db.update("update key_service.api_keys set status = 'revoked', revoked_at = now() where id = ?", key.id()));
            } finally {
                alter(admin, new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, ""), AlterConfigOp.OpType.DELETE));
            }
        }
        await().atMost(WAIT).until(reports::announced);

        given().header("Authorization", key.bearer()).get("/api/v1/whoami").then().statusCode(401);
    }

    private static void alter(Admin admin, AlterConfigOp op) throws Exception {
        Map<ConfigResource, Collection<AlterConfigOp>> change = Map.of(new ConfigResource(ConfigResource.Type.TOPIC, InstancesTopic.NAME),
                List.of(op));
        admin.incrementalAlterConfigs(change).all().get();
    }
}
