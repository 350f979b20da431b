package dev.postgate.publish.posts;

import java.time.Instant;
import java.util.List;

/** Request and response bodies of the draft API (JSON, snake_case). */
public final class PostViews {
    private PostViews() {
    }

    public record CreatePostRequest(String content, List<String> accountIds, List<String> mediaIds) {
    }

    /** Only the fields sent change; {@code media_ids: []} removes all media. */
    public record UpdatePostRequest(String content, List<String> accountIds, List<String> mediaIds) {
    }

    public record PostView(String id, String workspaceId, String content, List<String> accountIds, List<String> mediaIds,
            String status, String failureReason, Instant scheduledAt, Instant publishedAt, String mode, Instant createdAt,
            Instant updatedAt) {

        public static PostView of(Post post) {
            return new PostView(post.id, post.workspaceId, post.content, post.accountIdList(), post.mediaIdList(),
                    post.status, post.failureReason, post.scheduledAt, post.publishedAt, post.testMode ? "test" : "live",
                    post.createdAt, post.updatedAt);
        }
    }
}
