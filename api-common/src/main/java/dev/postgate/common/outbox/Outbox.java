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
 * <p>
 * A request that answers only once its events are on the broker says so before its change
 * ({@link #sendOwnEvents()}) and calls {@link OutboxRelay#awaitPublished} after the commit: the
 * rows it added (remembered in its Vert.x context) are then sent straight away instead of waiting
 * for a relay pass, and relay passes leave those events alone meanwhile (claimed by event id
 * before the row is written, for at most {@link OutboxRelay#CLAIM_MILLIS}), so none is sent twice.
 */
@ApplicationScoped
public class Outbox {
    /**
     * The start of an outbox row written by a caller's own SQL statement: the columns it sets, in
     * this order (the id is the table's; {@code created_at} is {@link #stamp()}).
     */
    public static final String INSERT = "insert into outbox (topic, record_key, payload, created_at)";

    @Inject
    ObjectMapper mapper;

    @Inject
    OutboxRelay relay;

    /**
     * The current request sends the events it adds itself, right after its commit
     * ({@link OutboxRelay#awaitPublished}); call before the change, on the request's context.
     */
    public static void sendOwnEvents() {
        OwnEvents.send();
    }

    /**
     * An outbox row's {@code created_at}, for {@link #add} and for a caller that writes the row in
     * its own statement: the wall clock, which the relay's lag metric compares it with.
     */
    public static Instant stamp() {
        return Instant.now();
    }

    public Uni<Void> add(String topic, String recordKey, OutgoingEvent event) {
        OutboxEvent row = new OutboxEvent();
        row.topic = topic;
        row.recordKey = recordKey;
        row.createdAt = stamp();
        try {
            row.payload = payload(event);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(e);
        }
        row.eventId = OwnEvents.sent() ? event.id() : null;
        claim(row.eventId);
        return row.persist().invoke(() -> OwnEvents.remember(row)).replaceWithVoid();
    }

    /** An event as an outbox row's payload, for a caller that writes the row in its own SQL statement. */
    public String payload(OutgoingEvent event) {
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event cannot be serialised", e);
        }
    }

    /**
     * For a caller that writes an outbox row in its own SQL statement: before the statement, the
     * event's id, so that relay passes leave the row to this request ({@link #sendOwnEvents()}).
     */
    public void claim(String eventId) {
        if (eventId != null && OwnEvents.sent()) {
            relay.claim(eventId);
        }
    }

    /**
     * A row the caller's own SQL statement wrote in the current request ({@link #payload},
     * {@link #claim}), sent by {@link OutboxRelay#awaitPublished} once the statement committed.
     */
    public void written(long id, String topic, String recordKey, String payload, String eventId, Instant createdAt) {
        OutboxEvent row = new OutboxEvent();
        row.id = id;
        row.topic = topic;
        row.recordKey = recordKey;
        row.payload = payload;
        row.eventId = eventId;
        row.createdAt = createdAt;
        OwnEvents.remember(row);
    }
}
