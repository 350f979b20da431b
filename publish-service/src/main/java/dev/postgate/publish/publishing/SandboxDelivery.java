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
    public String idempotencyKey;

    @Column(nullable = false)
    public String postId;

    @Column(nullable = false)
    public String workspaceId;

    @Column(nullable = false)
    public String accountId;

    public String platform;

    public String accountName;

    @Column(nullable = false)
    public String content;

    @Column(nullable = false)
    public String[] mediaIds;

    @Column(nullable = false)
    public boolean published;

    public String externalId;

    public String error;

    @Column(nullable = false)
    public Instant createdAt;
}
