package dev.postgate.common.outbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;

/**
 * Adds events to the outbox inside the caller's transaction, so an event exists if and only if
 * its change committed. Call {@link OutboxRelay#wake()} after the commit to publish at once, or,
 * in a request that must answer only once its events are on the broker,
 * {@link OutboxRelay#awaitPublished}: that sends the rows this request added (remembered in its
 * Vert.x context) straight away instead of waiting for a relay pass.
 */
@ApplicationScoped
public class Outbox {
    private static final String ADDED = "postgate.outbox.added";

    @Inject
    ObjectMapper mapper;

    @Inject
    OutboxRelay relay;

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
        return row.persist().invoke(this::remember).replaceWithVoid();
    }

    /** An event as an outbox row's payload, for a caller that writes the row in its own SQL statement. */
    public String payload(Object event) {
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event cannot be serialised", e);
        }
    }

    /**
     * A row the caller's own SQL statement wrote in the current request ({@link #payload}), so that
     * {@link OutboxRelay#awaitPublished} sends it straight away once the statement committed.
     */
    public void written(long id, String topic, String recordKey, String payload, Instant createdAt) {
        OutboxEvent row = new OutboxEvent();
        row.id = id;
        row.topic = topic;
        row.recordKey = recordKey;
        row.payload = payload;
        row.createdAt = createdAt;
        remember(row);
    }

    /**
     * The rows added in the current request (on its duplicated Vert.x context), for a direct send
     * after the commit; claimed from the relay's passes for a moment meanwhile.
     */
    private void remember(Object persisted) {
        if (persisted instanceof OutboxEvent row && VertxContext.isOnDuplicatedContext()) {
            relay.claim(row.id);
            List<OutboxEvent> added = ContextLocals.<List<OutboxEvent>>get(ADDED).orElse(null);
            if (added == null) {
                added = new ArrayList<>();
                ContextLocals.put(ADDED, added);
            }
            added.add(row);
        }
    }

    /**
     * Takes (and forgets) the rows the current request added; empty off a request's context.
     * Only for after the request's transactions committed: a row of a transaction that rolled back
     * would be sent as if it had not.
     */
    static List<OutboxEvent> takeAdded() {
        if (!VertxContext.isOnDuplicatedContext()) {
            return List.of();
        }
        List<OutboxEvent> added = ContextLocals.<List<OutboxEvent>>get(ADDED).orElse(List.of());
        ContextLocals.remove(ADDED);
        return added;
    }
}
