package dev.postgate.publish;

import java.util.List;

import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.ServiceFoundationTest;
import dev.postgate.common.testing.WorkspaceServiceResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The service's footing ({@link ServiceFoundationTest}) on publish-service. */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WorkspaceServiceResource.class, scope = TestResourceScope.GLOBAL)
class PublishServiceFoundationTest extends ServiceFoundationTest {

    @Override
    protected List<String> publicPaths() {
        return List.of("/api/v1/posts", "/api/v1/posts/{id}/publish", "/api/v1/media/upload", "/api/v1/content/generate",
                "/api/v1/analytics/posts/{id}");
    }

    @Override
    protected List<String> kafkaChecks() {
        return List.of("kafka", "key-and-workspace-events-consumer");
    }

    @Override
    protected List<String> metrics() {
        return List.of("postgate_kafka_connected", "postgate_key_events_consumer_state", "postgate_key_revocation_lag_seconds_count");
    }
}
