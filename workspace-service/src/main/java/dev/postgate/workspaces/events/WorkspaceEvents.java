package dev.postgate.workspaces.events;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.postgate.common.api.Ids;
import dev.postgate.common.kafka.WorkspacesTopic;
import dev.postgate.common.outbox.Outbox;
import io.smallrye.mutiny.Uni;

/**
 * Writes workspace events to the outbox in the transaction of their change (record key
 * = workspace id). Takes the values an event carries, not the features' entities: the features
 * depend on their events, never the other way round.
 */
@ApplicationScoped
public class WorkspaceEvents {
    @Inject
    Outbox outbox;

    public Uni<Void> workspace(String type, String workspaceId, String orgId, Instant at) {
        WorkspaceEvent event = new WorkspaceEvent(Ids.newId(Ids.EVENT), type, workspaceId, orgId, at, WorkspaceEvent.VERSION);
        return outbox.add(WorkspacesTopic.NAME, workspaceId, event);
    }
}
