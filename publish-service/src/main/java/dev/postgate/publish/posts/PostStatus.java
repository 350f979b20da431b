package dev.postgate.publish.posts;

import java.util.Arrays;
import java.util.List;

import dev.postgate.common.api.QueryFilters;
import dev.postgate.common.errors.ConflictException;
import dev.postgate.common.wire.WireName;
import dev.postgate.common.wire.WireNames;

/**
 * The life of a post and which changes each status allows:
 * <pre>
 * draft ──publish──▶ publishing ──▶ published | partially_failed | failed
 *   │                    ▲                       │            │
 *   └──publish at──▶ scheduled ──cancel──▶ canceled            └──retry──▶ publishing
 * </pre>
 * A scheduled or canceled post can be published (now or at a new time) and edited like a
 * draft; the scheduler moves a due scheduled post to publishing. Every refused change is 409.
 */
public enum PostStatus implements WireName {
    DRAFT, SCHEDULED, PUBLISHING, PUBLISHED, PARTIALLY_FAILED, FAILED, CANCELED;

    public static PostStatus of(String wire) {
        return WireNames.of(PostStatus.class, wire);
    }

    /** {@code ?status=} of the post list; an unknown value is 400. */
    public static PostStatus parseFilter(String value) {
        return QueryFilters.of(PostStatus.class, "status", value);
    }

    /** The statuses a post may be published from ({@link #checkPublish} passes), as stored. */
    public static String[] publishable() {
        return Arrays.stream(values()).filter(PostStatus::notYetSent).map(PostStatus::wire).toArray(String[]::new);
    }

    /** The statuses of a post that may still be published, now or by a retry: all but {@code published}, as stored. */
    public static List<String> mayStillPublish() {
        return Arrays.stream(values()).filter(status -> status != PUBLISHED).map(PostStatus::wire).toList();
    }

    private boolean notYetSent() {
        return this == DRAFT || this == SCHEDULED || this == CANCELED;
    }

    public void checkEdit() {
        if (!notYetSent()) {
            throw new ConflictException(switch (this) {
                case PUBLISHING -> "This post is being published and cannot be edited now.";
                default -> "This post is " + wire() + ": only draft, scheduled and canceled posts can be edited. Create a new post instead.";
            });
        }
    }

    public void checkPublish() {
        if (!notYetSent()) {
            throw new ConflictException(switch (this) {
                case PUBLISHING -> "This post is being published right now.";
                case PUBLISHED -> "This post is already published. Create a new post to publish again.";
                default -> "This post was already published and is " + wire()
                        + ": use POST /api/v1/posts/{id}/retry to publish its failed targets again.";
            });
        }
    }

    public void checkCancel() {
        if (this != SCHEDULED) {
            throw new ConflictException("Only a scheduled post can be canceled; this post is " + wire() + ".");
        }
    }

    public void checkRetry() {
        if (this != PARTIALLY_FAILED && this != FAILED) {
            throw new ConflictException("Only a partially_failed or failed post can be retried; this post is " + wire() + ".");
        }
    }

    public void checkDelete() {
        if (this == PUBLISHING) {
            throw new ConflictException("This post is being published and cannot be deleted now; delete it when it has finished.");
        }
    }
}
