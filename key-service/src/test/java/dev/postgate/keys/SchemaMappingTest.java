package dev.postgate.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.postgate.common.outbox.OutboxEvent;
import dev.postgate.common.testing.SchemaMapping;
import dev.postgate.keys.keys.ApiKey;

/** Every entity of key-service against the tables its migrations make (checked here, not at each start: issue 18). */
class SchemaMappingTest {
    @Test
    void everyEntityMatchesTheMigratedTables() {
        Set<String> validated = SchemaMapping.assertEntitiesMatchMigrations("key_service_mapping", ApiKey.class, OutboxEvent.class).stream()
                .map(Class::getSimpleName).collect(Collectors.toSet());
        assertEquals(Set.of("ApiKey", "Organisation", "AuditEntry", "LeakReport", "OutboxEvent"), validated);
    }
}
