package dev.postgate.workspaces.events;

import java.time.Instant;

import dev.postgate.common.outbox.OutgoingEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A record of {@link dev.postgate.common.kafka.WorkspacesTopic#NAME} (SPEC section 6), of one of its types; record key = workspace id. */
// Serialised by the outbox (Jackson outside a REST resource): registered for native images.
@RegisterForReflection
public record WorkspaceEvent(String id, String type, String workspaceId, String orgId, Instant occurredAt, int version) implements OutgoingEvent {
    public static final int VERSION = 1;
}
