package dev.postgate.publish.posts;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.postgate.common.errors.ConflictException;
import dev.postgate.publish.lease.Leased;

/**
 * A post of a workspace: its content, the social accounts it goes to, and where it is in its life.
 * Leased while credits are being reserved for it: whoever holds the lease finishes the reservation.
 */
@Entity
@Table(name = "posts")
public class Post extends Leased {
    @Id
    public String id;

    @Column(nullable = false)
    public String orgId;

    @Column(nullable = false)
    public String workspaceId;

    @Column(nullable = false)
    public String content;

    /** In the order given (a {@code varchar[]} column). */
    @Column(nullable = false)
    public String[] accountIds;

    /** Empty for none. */
    @Column(nullable = false)
    public String[] mediaIds = new String[0];

    @Column(nullable = false)
    public String status;

    public String failureReason;

    public Instant scheduledAt;

    public Instant publishedAt;

    /**
     * Made with a test-mode key: publishes through the sandbox and spends nothing. A post keeps
     * the mode it was made in ({@link #checkMode}).
     */
    @Column(nullable = false)
    public boolean testMode;

    /** Counts publications and retries; part of every credit idempotency key, so a key is never reused. */
    @Column(nullable = false)
    public int publishAttempts;

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

    /**
     * The post is publishing, in a new attempt (its targets' idempotency keys carry the attempt);
     * the lease is the caller's to take or give up.
     */
    public void beginAttempt(Instant now) {
        publishAttempts++;
        postStatus(PostStatus.PUBLISHING);
        failureReason = null;
        updatedAt = now;
    }

    /** {@link #checkMode}'s 409, as the API document states it on each operation that checks it. */
    public static final String MODE_CONFLICT = "CONFLICT: the post was made with a key of the other mode (live or test)";

    /**
     * 409 unless the key that publishes, schedules, retries, changes, cancels or deletes this post has the mode it was made
     * in: a test post goes to the sandbox only and a live one to the platforms only, as Stripe
     * keeps test and live objects apart.
     */
    public void checkMode(boolean testKey) {
        if (testMode != testKey) {
            throw new ConflictException(testMode
                    ? "This post was made with a test-mode key and is published through the sandbox only: publish, change,"
                            + " cancel or delete it with a test-mode key, or create it again with a live key."
                    : "This post was made with a live key: a test-mode key cannot publish, schedule, retry, change, cancel or"
                            + " delete it. Use a live key, or create the post again with the test-mode key.");
        }
    }

    public List<String> accountIdList() {
        return accountIds == null ? List.of() : List.of(accountIds);
    }

    public void accountIdList(List<String> ids) {
        accountIds = ids.toArray(String[]::new);
    }

    public List<String> mediaIdList() {
        return mediaIds == null ? List.of() : List.of(mediaIds);
    }

    public void mediaIdList(List<String> ids) {
        mediaIds = ids == null ? new String[0] : ids.toArray(String[]::new);
    }
}
