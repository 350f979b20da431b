package dev.postgate.workspaces.calendar;

import java.time.Instant;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.openapitools.jackson.nullable.JsonNullable;

import dev.postgate.common.api.Identified;
import dev.postgate.common.api.Ids;
import dev.postgate.common.validation.Fields;
import dev.postgate.common.validation.Text;

/** Request and response bodies of the calendar API (JSON, snake_case). */
public final class CalendarViews {
    private CalendarViews() {
    }

    static final int MAX_NOTES = 5000;
    static final int MAX_TITLE = 200;
    static final String POST_ID = Ids.POST + Ids.SUFFIX;

    /** {@code title} and {@code notes} are kept exactly as sent (SPEC section 4). */
    public record CreateEntryRequest(@NotBlank(message = "is required") @Text(max = MAX_TITLE, shownToAll = true) String title,
            @Text(max = MAX_NOTES, shownToAll = true) String notes,
            @NotNull(message = "is required (an ISO-8601 date-time)") Instant startsAt, Instant endsAt,
            @Pattern(regexp = POST_ID, message = POST_ID_RULE) String postId) {
    }

    /** The fields sent are changed; null clears {@code notes}, {@code ends_at} and {@code post_id}. */
    public record UpdateEntryRequest(
            @Schema(implementation = String.class, maxLength = MAX_TITLE)
            @NotBlank(message = "cannot be removed") @Text(max = MAX_TITLE, shownToAll = true) JsonNullable<String> title,
            @Schema(implementation = String.class, maxLength = MAX_NOTES, nullable = true)
            @Text(max = MAX_NOTES, shownToAll = true) JsonNullable<String> notes,
            @Schema(implementation = Instant.class)
            @NotNull(message = "cannot be removed") JsonNullable<Instant> startsAt,
            @Schema(implementation = Instant.class, nullable = true) JsonNullable<Instant> endsAt,
            @Schema(implementation = String.class, nullable = true)
            @Pattern(regexp = POST_ID, message = POST_ID_RULE) JsonNullable<String> postId) {
        public UpdateEntryRequest {
            title = Fields.sent(title);
            notes = Fields.sent(notes);
            startsAt = Fields.sent(startsAt);
            endsAt = Fields.sent(endsAt);
            postId = Fields.sent(postId);
        }

        boolean changesNothing() {
            return Fields.noneSent(title, notes, startsAt, endsAt, postId);
        }
    }

    static final String POST_ID_RULE = "is not a post id (post_…)";

    public record EntryView(String id, String workspaceId, String title, String notes, Instant startsAt, Instant endsAt,
            String postId, Instant createdAt, Instant updatedAt) implements Identified {

        public static EntryView of(CalendarEntry entry) {
            return new EntryView(entry.id, entry.workspaceId, entry.title, entry.notes, entry.startsAt, entry.endsAt,
                    entry.postId, entry.createdAt, entry.updatedAt);
        }
    }
}
