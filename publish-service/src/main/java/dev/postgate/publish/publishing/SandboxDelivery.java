package dev.postgate.publish.publishing;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** What the sandbox connector would have sent to a platform, once per idempotency key, and what it answered. */
@Entity
@Table(name = "sandbox_deliveries")
public class SandboxDelivery {
    @Id
    @Column(name = "idempotency_key")
    public String idempotencyKey;

    @Column(name = "post_id", nullable = false)
    public String postId;

    @Column(name = "workspace_id", nullable = false)
    public String workspaceId;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    public String platform;

    @Column(name = "account_name")
    public String accountName;

    @Column(nullable = false)
    public String content;

    /** Space-separated. */
    @Column(name = "media_ids", nullable = false)
    public String mediaIds;

    @Column(nullable = false)
    public boolean published;

    @Column(name = "external_id")
    public String externalId;

    public String error;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
