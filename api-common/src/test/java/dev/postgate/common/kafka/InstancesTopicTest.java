package dev.postgate.common.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.postgate.common.kafka.InstancesTopic.Alive;
import dev.postgate.common.kafka.InstancesTopic.Applied;
import dev.postgate.common.kafka.InstancesTopic.Fields;

/**
 * The instances write their reports as {@link Alive} and {@link Applied}; key-service reads them
 * field by field by {@link Fields}' names. A field renamed on one side only would be read as
 * missing (an instance never trusted, a receipt never confirmed), so the names must be the
 * records' own, as the services' JSON settings (snake_case, ISO-8601 times) write them.
 */
class InstancesTopicTest {
    private final ObjectMapper mapper = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void keyServiceReadsAnAliveByTheNamesItIsWrittenWith() {
        Instant started = Instant.parse("2026-12-06T01:00:00Z");
        JsonNode alive = mapper.valueToTree(new Alive(InstancesTopic.ALIVE, "publish-service@h:1#ab", "publish-service", started,
                started.plusSeconds(5), 2_500, true, InstancesTopic.VERSION));

        assertEquals(InstancesTopic.ALIVE, alive.path(Fields.TYPE).asText());
        assertEquals("publish-service@h:1#ab", alive.path(Fields.INSTANCE).asText());
        assertEquals("publish-service", alive.path(Fields.SERVICE).asText());
        assertEquals(2_500, alive.path(Fields.STALENESS_MS).asLong());
        assertTrue(alive.path(Fields.CACHE_TRUSTED).asBoolean());
    }

    @Test
    void keyServiceReadsAnApplyByTheNamesItIsWrittenWith() {
        Instant occurred = Instant.parse("2026-12-06T01:00:00Z");
        JsonNode applied = mapper.valueToTree(new Applied(InstancesTopic.APPLIED, "workspace-service@h:2#cd", "workspace-service",
                "key_01", 7, occurred, occurred.plusMillis(40), InstancesTopic.VERSION));

        assertEquals(InstancesTopic.APPLIED, applied.path(Fields.TYPE).asText());
        assertEquals("workspace-service@h:2#cd", applied.path(Fields.INSTANCE).asText());
        assertEquals("key_01", applied.path(Fields.KEY_ID).asText());
        assertEquals(7, applied.path(Fields.SEQ).asLong());
        assertEquals(occurred, Instant.parse(applied.path(Fields.EVENT_OCCURRED_AT).asText()));
        assertEquals(occurred.plusMillis(40), Instant.parse(applied.path(Fields.APPLIED_AT).asText()));
    }

    @Test
    void everyFieldNameNamesAFieldOfAReport() {
        List<String> written = new ArrayList<>();
        mapper.valueToTree(new Alive("", "", "", Instant.EPOCH, Instant.EPOCH, 0, false, 1)).fieldNames().forEachRemaining(written::add);
        mapper.valueToTree(new Applied("", "", "", "", 0, Instant.EPOCH, Instant.EPOCH, 1)).fieldNames().forEachRemaining(written::add);
        for (var field : Fields.class.getFields()) {
            try {
                String name = (String) field.get(null);
                assertTrue(written.contains(name), name + " is not a field of an alive or an apply: " + written);
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
    }
}
