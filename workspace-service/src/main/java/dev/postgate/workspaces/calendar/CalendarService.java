package dev.postgate.workspaces.calendar;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.postgate.common.api.Ids;
import dev.postgate.common.api.Page;
import dev.postgate.common.api.PageRequest;
import dev.postgate.common.auth.Caller;
import dev.postgate.common.errors.NotFoundException;
import dev.postgate.common.errors.ValidationException;
import dev.postgate.common.time.Instants;
import dev.postgate.common.time.TimeSource;
import dev.postgate.workspaces.calendar.CalendarViews.CreateEntryRequest;
import dev.postgate.workspaces.calendar.CalendarViews.UpdateEntryRequest;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * The content calendar of a workspace: entries with a title, a start, an optional end and an
 * optional post. Always within the workspace of {@code X-Workspace-Id}; another workspace's
 * entry is 404.
 */
@ApplicationScoped
public class CalendarService {
    @Inject
    TimeSource time;

    @Inject
    CalendarRepository entries;

    @WithTransaction
    public Uni<CalendarEntry> create(Caller caller, CreateEntryRequest request) {
        checkOrder(request.startsAt(), request.endsAt());
        Instant now = time.now();
        CalendarEntry entry = new CalendarEntry();
        entry.id = Ids.newId(Ids.CALENDAR_ENTRY);
        entry.workspaceId = caller.workspaceId();
        entry.orgId = caller.orgId();
        entry.title = request.title();
        entry.notes = request.notes();
        entry.startsAt = request.startsAt();
        entry.endsAt = request.endsAt();
        entry.postId = request.postId();
        entry.createdAt = now;
        entry.updatedAt = now;
        return entries.persist(entry);
    }

    @WithSession
    public Uni<Page<CalendarEntry>> list(Caller caller, String from, String to, PageRequest page) {
        Instant start = instant("from", from);
        Instant end = instant("to", to);
        if (start != null && end != null && !start.isBefore(end)) {
            throw ValidationException.badRequest("to", "to must be after from.");
        }
        return entries.page(caller.orgId(), caller.workspaceId(), start, end, page)
                .map(rows -> Page.of(rows, page, e -> e.id));
    }

    @WithSession
    public Uni<CalendarEntry> get(Caller caller, String id) {
        return entries.findInWorkspace(caller.orgId(), caller.workspaceId(), id).onItem().ifNull().failWith(() -> notFound(id));
    }

    /**
     * Changes the fields sent ({@link UpdateEntryRequest}); {@code null} clears {@code notes},
     * {@code ends_at} and {@code post_id}. Two times sent in the wrong order are 422 before the entry
     * is looked for (SPEC section 4: validation before 404); one of them against the stored other, after.
     */
    @WithTransaction
    public Uni<CalendarEntry> update(Caller caller, String id, UpdateEntryRequest patch) {
        if (patch.changesNothing()) {
            throw ValidationException.invalid("title", "Send at least one of title, notes, starts_at, ends_at, post_id.");
        }
        if (patch.startsAt().isPresent() && patch.endsAt().isPresent()) {
            checkOrder(patch.startsAt().get(), patch.endsAt().get());
        }
        return entries.lockInWorkspace(caller.orgId(), caller.workspaceId(), id)
                .onItem().ifNull().failWith(() -> notFound(id))
                .map(entry -> {
                    Instant newStart = patch.startsAt().orElse(entry.startsAt);
                    Instant newEnd = patch.endsAt().isPresent() ? patch.endsAt().get() : entry.endsAt;
                    checkOrder(newStart, newEnd);
                    entry.title = patch.title().orElse(entry.title);
                    patch.notes().ifPresent(notes -> entry.notes = notes);
                    patch.postId().ifPresent(postId -> entry.postId = postId);
                    entry.startsAt = newStart;
                    entry.endsAt = newEnd;
                    entry.updatedAt = time.now();
                    return entry;
                });
    }

    /** Deletes for good and answers the entry as it was. */
    @WithTransaction
    public Uni<CalendarEntry> delete(Caller caller, String id) {
        return entries.lockInWorkspace(caller.orgId(), caller.workspaceId(), id)
                .onItem().ifNull().failWith(() -> notFound(id))
                // A bulk delete, not the entity delete (HR000069 under concurrency, quarkusio/quarkus#41945), as media's.
                .call(entry -> entries.delete("id = ?1", entry.id));
    }

    private static void checkOrder(Instant startsAt, Instant endsAt) {
        if (startsAt != null && endsAt != null && endsAt.isBefore(startsAt)) {
            throw ValidationException.invalid("ends_at", "ends_at cannot be before starts_at.");
        }
    }

    /**
     * A query's ISO-8601 date-time with an offset ({@code 2026-03-02T10:00:00Z}, a {@code +} sent
     * unencoded read as one); anything else
     * cannot be read at all and is 400 naming the parameter.
     */
    private static Instant instant(String parameter, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instants.parseQueryWithOffset(value);
        } catch (DateTimeParseException e) {
            throw ValidationException.badRequest(parameter,
                    parameter + " must be an ISO-8601 date-time with an offset in the years 0001 to 9999, such as 2026-03-02T10:00:00Z.");
        }
    }

    static NotFoundException notFound(String id) {
        return new NotFoundException("Calendar entry " + id);
    }
}
