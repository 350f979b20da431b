package dev.postgate.workspaces.calendar;

import java.time.Instant;

/** Request and response bodies of the calendar API (JSON, snake_case). */
public final class CalendarViews {
    private CalendarViews() {
    }

    /** Dates arrive as text so that a bad one is 400 naming the field, whatever its JSON type. */
    public record CreateEntryRequest(String title, String notes, String startsAt, String endsAt, String postId) {
    }

    public record EntryView(String id, String workspaceId, String title, String notes, Instant startsAt, Instant endsAt,
            String postId, Instant createdAt, Instant updatedAt) {

        public static EntryView of(CalendarEntry entry) {
            return new EntryView(entry.id, entry.workspaceId, entry.title, entry.notes, entry.startsAt, entry.endsAt,
                    entry.postId, entry.createdAt, entry.updatedAt);
        }
    }
}
