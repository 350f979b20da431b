package dev.postgate.workspaces.calendar;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import dev.postgate.common.api.Ids;
import dev.postgate.common.api.Page;
import dev.postgate.common.api.PageRequest;
import dev.postgate.common.auth.Caller;
import dev.postgate.common.errors.NotFoundException;
import dev.postgate.common.errors.ValidationException;
import dev.postgate.common.errors.ValidationException.FieldError;
import dev.postgate.common.time.TimeSource;
import dev.postgate.workspaces.Checks;
import dev.postgate.workspaces.JsonFields;
import dev.postgate.workspaces.calendar.CalendarViews.CreateEntryRequest;
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
    static final int MAX_TITLE = 200;
    static final int MAX_NOTES = 5000;
    private static final Pattern POST_ID = Pattern.compile("post_[0-9A-Za-z]{1,64}");
    private static final Set<String> FIELDS = Set.of("title", "notes", "starts_at", "ends_at", "post_id");

    @Inject
    TimeSource time;

    @Inject
    CalendarRepository entries;

    @WithTransaction
    public Uni<CalendarEntry> create(Caller caller, CreateEntryRequest request) {
        CreateEntryRequest body = request == null ? new CreateEntryRequest(null, null, null, null, null) : request;
        Instant startsAt = Checks.instant("starts_at", body.startsAt());
        Instant endsAt = Checks.instant("ends_at", body.endsAt());
        List<FieldError> errors = new ArrayList<>();
        String title = Checks.text("title", body.title(), MAX_TITLE, true, errors);
        String notes = Checks.text("notes", body.notes(), MAX_NOTES, false, true, errors);
        String postId = checkPostId(body.postId(), errors);
        if (startsAt == null) {
            errors.add(new FieldError("starts_at", "starts_at is required (an ISO-8601 date-time)."));
        }
        checkOrder(startsAt, endsAt, errors);
        if (!errors.isEmpty()) {
            throw ValidationException.invalid(errors);
        }
        Instant now = time.now();
        CalendarEntry entry = new CalendarEntry();
        entry.id = Ids.newId("cal");
        entry.workspaceId = caller.workspaceId();
        entry.orgId = caller.orgId();
        entry.title = title;
        entry.notes = notes;
        entry.startsAt = startsAt;
        entry.endsAt = endsAt;
        entry.postId = postId;
        entry.createdAt = now;
        entry.updatedAt = now;
        return entries.persist(entry);
    }

    @WithSession
    public Uni<Page<CalendarEntry>> list(Caller caller, String from, String to, PageRequest page) {
        Instant start = Checks.instant("from", from);
        Instant end = Checks.instant("to", to);
        if (start != null && end != null && !start.isBefore(end)) {
            throw ValidationException.badRequest("to", "to must be after from.");
        }
        return entries.page(caller.orgId(), caller.workspaceId(), start, end, page)
                .map(rows -> Page.of(rows, page, e -> e.id, e -> e));
    }

    @WithSession
    public Uni<CalendarEntry> get(Caller caller, String id) {
        return entries.findInWorkspace(caller.orgId(), caller.workspaceId(), id).onItem().ifNull().failWith(() -> notFound(id));
    }

    /**
     * Changes the fields sent; {@code null} clears {@code notes}, {@code ends_at} and
     * {@code post_id}. Unknown fields are 422 and values that are not text 400, as for creation.
     */
    @WithTransaction
    public Uni<CalendarEntry> update(Caller caller, String id, JsonNode patch) {
        Map<String, JsonNode> fields = JsonFields.of(patch, FIELDS);
        Instant startsAt = fields.containsKey("starts_at") ? Checks.instant("starts_at", JsonFields.text(fields, "starts_at")) : null;
        Instant endsAt = fields.containsKey("ends_at") ? Checks.instant("ends_at", JsonFields.text(fields, "ends_at")) : null;
        List<FieldError> errors = new ArrayList<>();
        String title = fields.containsKey("title") ? Checks.text("title", JsonFields.text(fields, "title"), MAX_TITLE, true, errors) : null;
        String notes = Checks.text("notes", JsonFields.text(fields, "notes"), MAX_NOTES, false, true, errors);
        String postId = checkPostId(JsonFields.text(fields, "post_id"), errors);
        if (fields.containsKey("starts_at") && startsAt == null) {
            errors.add(new FieldError("starts_at", "starts_at cannot be removed."));
        }
        if (!errors.isEmpty()) {
            throw ValidationException.invalid(errors);
        }
        return entries.lockInWorkspace(caller.orgId(), caller.workspaceId(), id)
                .onItem().ifNull().failWith(() -> notFound(id))
                .map(entry -> {
                    Instant newStart = fields.containsKey("starts_at") ? startsAt : entry.startsAt;
                    Instant newEnd = fields.containsKey("ends_at") ? endsAt : entry.endsAt;
                    List<FieldError> order = new ArrayList<>();
                    checkOrder(newStart, newEnd, order);
                    if (!order.isEmpty()) {
                        throw ValidationException.invalid(order);
                    }
                    if (title != null) {
                        entry.title = title;
                    }
                    if (fields.containsKey("notes")) {
                        entry.notes = notes;
                    }
                    if (fields.containsKey("post_id")) {
                        entry.postId = postId;
                    }
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
                .call(entries::delete);
    }

    private static String checkPostId(String postId, List<FieldError> errors) {
        if (postId == null) {
            return null;
        }
        if (!POST_ID.matcher(postId).matches()) {
            errors.add(new FieldError("post_id", "'" + abbreviate(postId) + "' is not a post id (post_…)."));
        }
        return postId;
    }

    private static void checkOrder(Instant startsAt, Instant endsAt, List<FieldError> errors) {
        if (startsAt != null && endsAt != null && endsAt.isBefore(startsAt)) {
            errors.add(new FieldError("ends_at", "ends_at cannot be before starts_at."));
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }

    static NotFoundException notFound(String id) {
        return new NotFoundException("Calendar entry " + id);
    }
}
