package dev.postgate.publish.posts;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A post of a workspace: its content, the social accounts it goes to, and where it is in its life. */
@Entity
@Table(name = "posts")
public class Post {
    @Id
    public String id;

    @Column(name = "org_id", nullable = false)
    public String orgId;

    @Column(name = "workspace_id", nullable = false)
    public String workspaceId;

    @Column(nullable = false)
    public String content;

    /** Space-separated, in the order given. */
    @Column(name = "account_ids", nullable = false)
    public String accountIds;

    /** Space-separated; empty for none. */
    @Column(name = "media_ids", nullable = false)
    public String mediaIds;

    @Column(nullable = false)
    public String status;

    @Column(name = "failure_reason")
    public String failureReason;

    @Column(name = "scheduled_at")
    public Instant scheduledAt;

    @Column(name = "published_at")
    public Instant publishedAt;

    /** Made (or published) with a test-mode key: publishes through the sandbox and spends nothing. */
    @Column(name = "test_mode", nullable = false)
    public boolean testMode;

    /** Counts publications and retries; part of every credit idempotency key, so a key is never reused. */
    @Column(name = "publish_attempts", nullable = false)
    public int publishAttempts;

    /** Set while credits are being reserved: whoever holds the lease finishes the reservation. */
    @Column(name = "lease_until")
    public Instant leaseUntil;

    @Column(name = "lease_token")
    public String leaseToken;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "deleted_at")
    public Instant deletedAt;

    public PostStatus postStatus() {
        return PostStatus.of(status);
    }

    public void postStatus(PostStatus next) {
        status = next.wire();
    }

    public List<String> accountIdList() {
        return split(accountIds);
    }

    public void accountIdList(List<String> ids) {
        accountIds = String.join(" ", ids);
    }

    public List<String> mediaIdList() {
        return split(mediaIds);
    }

    public void mediaIdList(List<String> ids) {
        mediaIds = ids == null ? "" : String.join(" ", ids);
    }

    private static List<String> split(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(" "));
    }
}
