package dev.postgate.workspaces.events;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.postgate.common.api.Ids;
import dev.postgate.common.outbox.Outbox;
import dev.postgate.workspaces.workspaces.Workspace;
import io.smallrye.mutiny.Uni;

/** Writes workspace and credit events to the outbox in the transaction of their change (record key = workspace id). */
@ApplicationScoped
public class WorkspaceEvents {
    @Inject
    Outbox outbox;

    public Uni<Void> workspace(String type, Workspace workspace, Instant at) {
        WorkspaceEvent event = new WorkspaceEvent(Ids.newId("evt"), type, workspace.id, workspace.orgId, at,
                WorkspaceEvent.VERSION);
        return outbox.add(WorkspaceEvent.TOPIC, workspace.id, event);
    }

    public Uni<Void> creditsLow(Workspace workspace, long threshold, Instant at) {
        CreditsLowEvent event = new CreditsLowEvent(Ids.newId("evt"), CreditsLowEvent.TYPE, workspace.id, workspace.orgId,
                workspace.balance, threshold, at, CreditsLowEvent.VERSION);
        return outbox.add(CreditsLowEvent.TOPIC, workspace.id, event);
    }
}
