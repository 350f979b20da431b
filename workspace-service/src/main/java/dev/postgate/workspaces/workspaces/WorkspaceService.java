package dev.postgate.workspaces.workspaces;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.postgate.common.api.Ids;
import dev.postgate.common.api.Page;
import dev.postgate.common.api.PageRequest;
import dev.postgate.common.auth.Caller;
import dev.postgate.common.errors.NotFoundException;
import dev.postgate.common.kafka.WorkspacesTopic;
import dev.postgate.common.time.TimeSource;
import dev.postgate.workspaces.events.WorkspaceEvents;
import dev.postgate.workspaces.workspaces.WorkspaceViews.WorkspaceRequest;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * Workspaces of an organisation: created and deleted by admins with a {@code workspace.*} event
 * in the same transaction, read by members and by API keys within the workspaces they may use.
 */
@ApplicationScoped
public class WorkspaceService {
    @Inject
    TimeSource time;

    @Inject
    WorkspaceRepository workspaces;

    @Inject
    WorkspaceEvents events;

    @WithTransaction
    public Uni<Workspace> create(Caller caller, WorkspaceRequest request) {
        String name = request.name();
        Instant now = time.now();
        Workspace workspace = new Workspace();
        workspace.id = Ids.newId(Ids.WORKSPACE);
        workspace.orgId = caller.orgId();
        workspace.name = name;
        workspace.balance = 0;
        workspace.createdAt = now;
        workspace.updatedAt = now;
        return workspaces.persist(workspace)
                .call(created -> events.workspace(WorkspacesTopic.CREATED, created.id, created.orgId, now));
    }

    @WithSession
    public Uni<Page<Workspace>> list(Caller caller, PageRequest page) {
        return workspaces.page(WorkspaceAccess.of(caller), page).map(rows -> Page.of(rows, page, w -> w.id));
    }

    @WithSession
    public Uni<Workspace> get(Caller caller, String id) {
        return workspaces.findVisible(WorkspaceAccess.of(caller), id)
                .onItem().ifNull().failWith(() -> notFound(id));
    }

    @WithTransaction
    public Uni<Workspace> rename(Caller caller, String id, WorkspaceRequest request) {
        String name = request.name();
        return lock(caller, id).map(workspace -> {
            workspace.name = name;
            workspace.updatedAt = time.now();
            return workspace;
        });
    }

    /** Soft deletion: the workspace disappears from every read and every key check (event workspace.deleted). */
    @WithTransaction
    public Uni<Workspace> delete(Caller caller, String id) {
        Instant now = time.now();
        return lock(caller, id).call(workspace -> {
            workspace.deletedAt = now;
            workspace.updatedAt = now;
            return events.workspace(WorkspacesTopic.DELETED, workspace.id, workspace.orgId, now);
        });
    }

    /** Any workspace that ever existed, deleted ones included (for other services); null when none. */
    @WithSession
    public Uni<Workspace> fact(String id) {
        return workspaces.findById(id);
    }

    private Uni<Workspace> lock(Caller caller, String id) {
        return workspaces.lockInOrg(caller.orgId(), id).onItem().ifNull().failWith(() -> notFound(id));
    }

    public static NotFoundException notFound(String id) {
        return new NotFoundException("Workspace " + id);
    }
}
