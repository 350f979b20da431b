package dev.postgate.keys.keys;

import java.time.Instant;

import dev.postgate.common.outbox.OutgoingEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A record of {@link dev.postgate.common.kafka.KeysTopic#NAME} (SPEC section 6). Never carries the key or its hash.
 * {@code seq} grows with every change of the key, so consumers can ignore stale news. Its types
 * are {@link dev.postgate.common.kafka.KeysTopic}'s.
 */
// Serialised by the outbox (Jackson outside a REST resource): registered for native images.
@RegisterForReflection
public record KeyEvent(String id, String type, String keyId, String orgId, long seq, Instant occurredAt, int version,
        String reason, Instant expiresAt, String newKeyId) implements OutgoingEvent {
    public static final int VERSION = 1;
}
