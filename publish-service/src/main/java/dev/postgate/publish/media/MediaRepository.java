package dev.postgate.publish.media;

import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import dev.postgate.common.api.PageRequest;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class MediaRepository implements PanacheRepositoryBase<Media, String> {

    public Uni<Media> findInWorkspace(String orgId, String workspaceId, String id) {
        return find("id = :id and orgId = :org and workspaceId = :ws",
                Parameters.with("id", id).and("org", orgId).and("ws", workspaceId)).firstResult();
    }

    /** The media of the workspace among {@code ids}. */
    public Uni<List<Media>> inWorkspace(String workspaceId, Collection<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return find("workspaceId = :ws and id in :ids", Parameters.with("ws", workspaceId).and("ids", ids)).list();
    }

    /**
     * The media of the workspace among {@code ids}, locked against deletion until the transaction
     * ends ({@code for share}): what a post that names them is stored with (see
     * {@link #lockInWorkspace}, which a deletion takes first).
     */
    public Uni<List<Media>> keepInWorkspace(String workspaceId, Collection<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return find("workspaceId = :ws and id in :ids", Parameters.with("ws", workspaceId).and("ids", ids))
                .withLock(LockModeType.PESSIMISTIC_READ).list();
    }

    /** The caller's media, locked for this transaction ({@code for update}): a deletion waits for posts being stored with it. */
    public Uni<Media> lockInWorkspace(String orgId, String workspaceId, String id) {
        return find("id = :id and orgId = :org and workspaceId = :ws",
                Parameters.with("id", id).and("org", orgId).and("ws", workspaceId)).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** The bytes the workspace keeps in media, uploads and generated files together. */
    public Uni<Long> bytesUsed(String workspaceId) {
        return Panache.getSession().chain(session -> session
                .createSelectionQuery("select coalesce(sum(m.size), 0L) from Media m where m.workspaceId = :ws", Long.class)
                .setParameter("ws", workspaceId).getSingleResult());
    }

    /** Locks the workspace's storage until the transaction ends (creating its row if needed): one upload records at a time. */
    public Uni<Void> lockWorkspaceStorage(String workspaceId) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("insert into workspace_storage (workspace_id) values (:ws) on conflict do nothing")
                        .setParameter("ws", workspaceId).executeUpdate()
                        .chain(() -> session.createNativeQuery("select workspace_id from workspace_storage where workspace_id = :ws for update",
                                String.class).setParameter("ws", workspaceId).getSingleResult()))
                .replaceWithVoid();
    }

    public Uni<List<Media>> page(String orgId, String workspaceId, PageRequest page) {
        return page.newestFirst(this, "orgId = :org and workspaceId = :ws", Parameters.with("org", orgId).and("ws", workspaceId));
    }
}
