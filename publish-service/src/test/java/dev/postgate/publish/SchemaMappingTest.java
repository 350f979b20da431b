package dev.postgate.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.postgate.common.outbox.OutboxEvent;
import dev.postgate.common.testing.SchemaMapping;
import dev.postgate.publish.posts.Post;

/** Every entity of publish-service against the tables its migrations make (checked here, not at each start: issue 18). */
class SchemaMappingTest {
    @Test
    void everyEntityMatchesTheMigratedTables() {
        Set<String> validated = SchemaMapping.assertEntitiesMatchMigrations("publish_service_mapping", Post.class, OutboxEvent.class).stream()
                .map(Class::getSimpleName).collect(Collectors.toSet());
        assertEquals(Set.of("Post", "Media", "Generation", "SandboxDelivery", "PostTarget", "OutboxEvent"), validated);
    }
}
