package dev.postgate.publish.publishing;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class SandboxDeliveryRepository implements PanacheRepositoryBase<SandboxDelivery, String> {

    /** Records the delivery unless one with its key exists; returns the one recorded first. */
    public Uni<SandboxDelivery> recordOnce(SandboxDelivery delivery) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                insert into sandbox_deliveries (idempotency_key, post_id, workspace_id, account_id, platform, account_name,
                                                content, media_ids, published, external_id, error, created_at)
                values (:key, :post, :ws, :account, :platform, :name, :content, :media, :published, :external, :error, :at)
                on conflict (idempotency_key) do nothing""")
                .setParameter("key", delivery.idempotencyKey)
                .setParameter("post", delivery.postId)
                .setParameter("ws", delivery.workspaceId)
                .setParameter("account", delivery.accountId)
                .setParameter("platform", delivery.platform)
                .setParameter("name", delivery.accountName)
                .setParameter("content", delivery.content)
                .setParameter("media", delivery.mediaIds)
                .setParameter("published", delivery.published)
                .setParameter("external", delivery.externalId)
                .setParameter("error", delivery.error)
                .setParameter("at", delivery.createdAt)
                .executeUpdate())
                .chain(() -> find("idempotencyKey", delivery.idempotencyKey).firstResult());
    }
}
