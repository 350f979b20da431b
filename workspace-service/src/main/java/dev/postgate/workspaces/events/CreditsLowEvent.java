package dev.postgate.workspaces.events;

import java.time.Instant;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A record of {@code postgate.credits.v1}: the workspace balance went from at least
 * {@code threshold} to below it. Record key = workspace id.
 */
// Serialised by the outbox (Jackson outside a REST resource): registered for native images.
@RegisterForReflection
public record CreditsLowEvent(String id, String type, String workspaceId, String orgId, long balance, long threshold,
        Instant occurredAt, int version) {
    public static final String TOPIC = "postgate.credits.v1";
    public static final int VERSION = 1;
    public static final String TYPE = "credits.low";
}
