package dev.postgate.workspaces.events;

import java.time.Instant;

/**
 * A record of {@code postgate.credits.v1}: the workspace balance went from at least
 * {@code threshold} to below it. Record key = workspace id. Written as JSON by the reserve
 * statement alone ({@code ReservationRepository.RESERVE}); this record is its definition, the
 * fields that statement must write (CreditsLowPayloadTest).
 */
public record CreditsLowEvent(String id, String type, String workspaceId, String orgId, long balance, long threshold,
        Instant occurredAt, int version) {
    public static final String TOPIC = "postgate.credits.v1";
    public static final int VERSION = 1;
    public static final String TYPE = "credits.low";
}
