package dev.postgate.publish.media;

import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.postgate.common.api.PageRequest;
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

    public Uni<List<Media>> page(String orgId, String workspaceId, PageRequest page) {
        String query = "orgId = :org and workspaceId = :ws" + (page.afterId() == null ? "" : " and id < :after") + " order by id desc";
        Parameters params = Parameters.with("org", orgId).and("ws", workspaceId);
        if (page.afterId() != null) {
            params.and("after", page.afterId());
        }
        return find(query, params).page(0, page.fetchSize()).list();
    }
}
