package dev.postgate.publish.posts;

import java.time.Instant;
import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.openapitools.jackson.nullable.JsonNullable;

import dev.postgate.common.api.Identified;
import dev.postgate.common.api.Ids;
import dev.postgate.common.keys.KeyMode;
import dev.postgate.common.validation.Fields;
import dev.postgate.common.validation.Text;

/** Request and response bodies of the draft API (JSON, snake_case). */
public final class PostViews {
    private PostViews() {
    }

    static final String ACCOUNT_ID = Ids.ACCOUNT + Ids.SUFFIX;
    /** A post's accounts are read, and reserved for, in one internal call each: within {@code InternalLimits}. */
    static final int MAX_ACCOUNTS = 20;
    static final int MAX_CONTENT = 10_000;
    static final String MEDIA_ID = Ids.MEDIA + Ids.SUFFIX;

    public record CreatePostRequest(@NotBlank(message = CONTENT_RULE) @Text(max = MAX_CONTENT) String content,
            @NotEmpty(message = ACCOUNTS_RULE) @Size(max = MAX_ACCOUNTS, message = ACCOUNTS_RULE)
            List<@NotNull(message = ACCOUNT_ID_RULE) @Pattern(regexp = ACCOUNT_ID, message = ACCOUNT_ID_RULE) String> accountIds,
            List<@NotNull(message = MEDIA_ID_RULE) @Pattern(regexp = MEDIA_ID, message = MEDIA_ID_RULE) String> mediaIds) {
    }

    /**
     * A PATCH: the fields sent change and those left out stay. {@code content} and
     * {@code account_ids} cannot be removed (null is 422, as blank or empty are); {@code media_ids}
     * null or {@code []} removes all media.
     */
    public record UpdatePostRequest(
            @Schema(implementation = String.class, maxLength = MAX_CONTENT)
            @NotBlank(message = CONTENT_RULE) @Text(max = MAX_CONTENT) JsonNullable<String> content,
            @Schema(type = SchemaType.ARRAY, implementation = String.class, minItems = 1, maxItems = MAX_ACCOUNTS)
            @NotNull(message = ACCOUNTS_RULE) @Size(min = 1, max = MAX_ACCOUNTS, message = ACCOUNTS_RULE)
            JsonNullable<List<@NotNull(message = ACCOUNT_ID_RULE) @Pattern(regexp = ACCOUNT_ID, message = ACCOUNT_ID_RULE) String>> accountIds,
            @Schema(type = SchemaType.ARRAY, implementation = String.class, nullable = true)
            JsonNullable<List<@NotNull(message = MEDIA_ID_RULE) @Pattern(regexp = MEDIA_ID, message = MEDIA_ID_RULE) String>> mediaIds) {
        public UpdatePostRequest {
            content = Fields.sent(content);
            accountIds = Fields.sent(accountIds);
            mediaIds = Fields.sent(mediaIds);
        }

        boolean changesNothing() {
            return Fields.noneSent(content, accountIds, mediaIds);
        }
    }

    static final String CONTENT_RULE = "is required (1 to " + MAX_CONTENT + " characters)";
    static final String ACCOUNTS_RULE = "needs 1 to " + MAX_ACCOUNTS + " social account ids";
    static final String ACCOUNT_ID_RULE = "is not a social account id (acct_…)";
    static final String MEDIA_ID_RULE = "is not a media id (med_…)";

    public record PostView(String id, String workspaceId, String content, List<String> accountIds, List<String> mediaIds,
            String status, String failureReason, Instant scheduledAt, Instant publishedAt, KeyMode mode, Instant createdAt,
            Instant updatedAt) implements Identified {

        public static PostView of(Post post) {
            return new PostView(post.id, post.workspaceId, post.content, post.accountIdList(), post.mediaIdList(),
                    post.status, post.failureReason, post.scheduledAt, post.publishedAt, post.testMode ? KeyMode.TEST : KeyMode.LIVE,
                    post.createdAt, post.updatedAt);
        }
    }
}
