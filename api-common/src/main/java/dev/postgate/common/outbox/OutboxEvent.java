package dev.postgate.common.outbox;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A row of the outbox: one event waiting for (or past) publication to Kafka. */
@Entity
@Table(name = "outbox")
public class OutboxEvent extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String topic;

    @Column(nullable = false)
    public String recordKey;

    @Column(nullable = false)
    public String payload;

    @Column(nullable = false)
    public Instant createdAt;

    public Instant publishedAt;

    /** The event's {@code id} when the request that added the row sends it itself ({@link Outbox#sendOwnEvents()}); not stored. */
    @Transient
    public String eventId;

    /** The {@code id} of the event a payload carries (every payload is an event's JSON), or null. */
    static String eventIdOf(ObjectMapper mapper, String payload) {
        try {
            return mapper.readTree(payload).path("id").asText(null);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
