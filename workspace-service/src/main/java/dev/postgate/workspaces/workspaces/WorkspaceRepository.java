package dev.postgate.workspaces.workspaces;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import dev.postgate.common.api.PageRequest;
import io.quarkus.hibernate.reactive.panache.PanacheQuery;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class WorkspaceRepository implements PanacheRepositoryBase<Workspace, String> {

    /** A live (not deleted) workspace the caller may see, or null. */
    public Uni<Workspace> findVisible(WorkspaceAccess access, String id) {
        return visible(access, id).firstResult();
    }

    /** Locks a live workspace of the organisation for a change, or null: what {@link #findVisible} finds for its dashboard users. */
    public Uni<Workspace> lockInOrg(String orgId, String id) {
        return visible(WorkspaceAccess.organisation(orgId), id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    private PanacheQuery<Workspace> visible(WorkspaceAccess access, String id) {
        return find("id = :id and " + access.onWorkspace(), access.parameters().and("id", id));
    }

    /** Locks a workspace, deleted or not: settling and refunding still work after a deletion. */
    public Uni<Workspace> lockAny(String id) {
        return find("id", id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** A page of the workspaces the caller may see, newest first. */
    public Uni<List<Workspace>> page(WorkspaceAccess access, PageRequest page) {
        return page.newestFirst(this, access.onWorkspace(), access.parameters());
    }

    /** Every workspace the caller may see (for credit totals), newest first. */
    public Uni<List<Workspace>> all(WorkspaceAccess access) {
        return find(access.onWorkspace() + " order by id desc", access.parameters()).list();
    }
}
