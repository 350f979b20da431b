package dev.postgate.publish.publishing;

import java.time.Instant;
import java.util.List;

import dev.postgate.publish.posts.Post;
import dev.postgate.publish.posts.PostStatus;

/**
 * A post in its credit-reservation phase, held by whoever has its lease ({@code leaseToken}; null
 * when nothing needs reserving, as in test mode): the targets whose credits are still to be
 * reserved, the accounts that have no target yet, and (for a request that may have to undo its
 * change on 402) what the post was before.
 */
public record PublishClaim(Post post, String leaseToken, List<PostTarget> reserving, List<String> accountsWithoutTarget,
        Before before) {

    /** What a publish request changed, to put back when the workspace cannot pay. */
    public record Before(PostStatus status, String failureReason, Instant scheduledAt, Instant updatedAt) {
    }

    public boolean needsTargets() {
        return !accountsWithoutTarget.isEmpty();
    }
}
