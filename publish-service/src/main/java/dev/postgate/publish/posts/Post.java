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

    @Column(nullable = false)
    public String orgId;

    @Column(nullable = false)
    public String workspaceId;

    @Column(nullable = false)
    public String content;

    /** Space-separated, in the order given. */
    @Column(nullable = false)
    public String accountIds;

    /** Space-separated; empty for none. */
    @Column(nullable = false)
    public String mediaIds;

    @Column(nullable = false)
    public String status;

    public String failureReason;

    public Instant scheduledAt;

    public Instant publishedAt;

    /** Made (or published) with a test-mode key: publishes through the sandbox and spends nothing. */
    @Column(nullable = false)
    public boolean testMode;

    /** Counts publications and retries; part of every credit idempotency key, so a key is never reused. */
    @Column(nullable = false)
    public int publishAttempts;

    /** Set while credits are being reserved: whoever holds the lease finishes the reservation. */
    public Instant leaseUntil;

    public String leaseToken;

    @Column(nullable = false)
    public String createdBy;

    @Column(nullable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public Instant updatedAt;

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
