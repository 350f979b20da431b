package dev.postgate.publish;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.WorkspaceServiceResource;
import dev.postgate.publish.publishing.ElsewhereConnector;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * A real platform's connector may answer on a thread of its own (here a worker thread:
 * {@link ElsewhereConnector}): the post is published, its target paid once, and its analytics read.
 * Found by review of the same flaw in generation: the worker recorded the platform's answer from
 * the connector's thread, where no database session can be opened, so the target was never
 * recorded and was sent again each time its claim ran out, the post publishing for ever.
 */
@QuarkusTest
@TestProfile(ConnectorOnAnotherThreadTest.Elsewhere.class)
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WorkspaceServiceResource.class, scope = TestResourceScope.GLOBAL)
class ConnectorOnAnotherThreadTest {

    public static class Elsewhere implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("postgate.publish.connectors.platforms.linkedin", ElsewhereConnector.NAME,
                    "postgate.publish.worker.lease", "3s");
        }
    }

    @Test
    void aConnectorAnsweringOnItsOwnThreadPublishes() {
        Api.Tenant tenant = Api.tenant(3);
        String account = tenant.account("linkedin", "a page");
        IssuedKey key = tenant.key("posts:write", "posts:read", "posts:publish", "analytics:read");
        String post = tenant.draft(key, "From elsewhere", account);
        Response published = tenant.publish(key, post);
        assertEquals(202, published.statusCode(), published.asString());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertEquals("published", tenant.post(key, post).get("status")));
        assertEquals(2, tenant.balance(), "the target paid once");
        assertEquals(1, tenant.ledgerCount("settle"));
        Response analytics = tenant.as(key).get("/api/v1/analytics/posts/" + post);
        assertEquals(200, analytics.statusCode(), analytics.asString());
        assertEquals(1, analytics.<Integer>path("data.totals.likes"));
        assertEquals(ElsewhereConnector.NAME, analytics.path("data.targets[0].source"));
    }
}
