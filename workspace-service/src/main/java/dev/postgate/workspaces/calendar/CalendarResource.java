package dev.postgate.workspaces.calendar;

import static dev.postgate.common.validation.Violations.BODY_REQUIRED;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.Cancellable;

import dev.postgate.common.api.Ids;
import dev.postgate.common.api.Answers;
import dev.postgate.common.api.Page;
import dev.postgate.common.api.PageQuery;
import dev.postgate.common.api.PageRequest;
import dev.postgate.common.auth.ApiKeyAccess;
import dev.postgate.common.auth.ApiKeyAccess.WorkspaceRule;
import dev.postgate.common.auth.Caller;
import dev.postgate.common.idempotency.IdempotentPosts;
import dev.postgate.common.keys.Scopes;
import dev.postgate.workspaces.calendar.CalendarViews.CreateEntryRequest;
import dev.postgate.workspaces.calendar.CalendarViews.EntryView;
import dev.postgate.workspaces.calendar.CalendarViews.UpdateEntryRequest;
import io.smallrye.mutiny.Uni;

/** The calendar of the workspace named by X-Workspace-Id (required). */
@Cancellable(false)
@IdempotentPosts
@Path("/api/v1/calendar")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Calendar")
public class CalendarResource {
    @Inject
    CalendarService service;

    @Inject
    Caller caller;

    @GET
    @ApiKeyAccess(scope = Scopes.CALENDAR_READ, workspace = WorkspaceRule.REQUIRED)
    @Operation(summary = "List calendar entries, newest first; from (inclusive) and to (exclusive) filter on starts_at")
    public Uni<Page<EntryView>> list(
            @RestQuery @Parameter(description = "Entries starting at or after this ISO-8601 date-time with an offset "
                    + "(2026-03-02T10:00:00Z); another value is 400 VALIDATION_FAILED.",
                    schema = @Schema(type = SchemaType.STRING, format = "date-time")) String from,
            @RestQuery @Parameter(description = "Entries starting before this ISO-8601 date-time with an offset, after from; "
                    + "another value is 400 VALIDATION_FAILED.", schema = @Schema(type = SchemaType.STRING, format = "date-time")) String to,
            @BeanParam PageQuery query) {
        PageRequest page = query.page(Ids.CALENDAR_ENTRY, caller.workspaceId());
        return service.list(caller, from, to, page).map(p -> p.map(EntryView::of));
    }

    @GET
    @Path("/{id}")
    @ApiKeyAccess(scope = Scopes.CALENDAR_READ, workspace = WorkspaceRule.REQUIRED)
    @Operation(summary = "A calendar entry")
    public Uni<EntryView> get(@RestPath String id) {
        return service.get(caller, id).map(EntryView::of);
    }

    @POST
    @Answers(value = 201, location = "/api/v1/calendar/{id}")
    @ApiKeyAccess(scope = Scopes.CALENDAR_WRITE, workspace = WorkspaceRule.REQUIRED)
    @Operation(summary = "Add a calendar entry")
    public Uni<RestResponse<EntryView>> create(@Valid @NotNull(message = BODY_REQUIRED) CreateEntryRequest request) {
        return service.create(caller, request).map(e -> RestResponse.status(RestResponse.Status.CREATED, EntryView.of(e)));
    }

    @PATCH
    @Path("/{id}")
    @ApiKeyAccess(scope = Scopes.CALENDAR_WRITE, workspace = WorkspaceRule.REQUIRED)
    @Operation(summary = "Change the fields sent; null clears notes, ends_at and post_id")
    public Uni<EntryView> update(@RestPath String id, @Valid @NotNull(message = BODY_REQUIRED) UpdateEntryRequest patch) {
        return service.update(caller, id, patch).map(EntryView::of);
    }

    @DELETE
    @Path("/{id}")
    @ApiKeyAccess(scope = Scopes.CALENDAR_WRITE, workspace = WorkspaceRule.REQUIRED)
    @Operation(summary = "Delete a calendar entry (answers it as it was)")
    public Uni<EntryView> delete(@RestPath String id) {
        return service.delete(caller, id).map(EntryView::of);
    }
}
