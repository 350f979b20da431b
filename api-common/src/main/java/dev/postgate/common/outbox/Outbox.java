package dev.postgate.common.outbox;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;

/**
 * Adds events to the outbox inside the caller's transaction, so an event exists if and only if
 * its change committed. Call {@link OutboxRelay#wake()} after the commit to publish at once.
 */
@ApplicationScoped
public class Outbox {
    @Inject
    ObjectMapper mapper;

    public Uni<Void> add(String topic, String recordKey, Object event) {
        OutboxEvent row = new OutboxEvent();
        row.topic = topic;
        row.recordKey = recordKey;
        row.createdAt = Instant.now();
        try {
            row.payload = mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalArgumentException("event cannot be serialised", e));
        }
        return row.persist().replaceWithVoid();
    }
}
