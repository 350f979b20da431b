package dev.postgate.keys.keys;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import dev.postgate.common.api.Page;
import dev.postgate.common.api.PageRequest;
import dev.postgate.common.auth.Caller;
import dev.postgate.common.auth.DashboardAccess;
import dev.postgate.common.auth.Role;
import dev.postgate.common.openapi.Answers;
import dev.postgate.common.outbox.OutboxRelay;
import dev.postgate.keys.audit.AuditLog;
import dev.postgate.keys.audit.AuditLog.AuditView;
import dev.postgate.keys.keys.KeyViews.CreateKeyRequest;
import dev.postgate.keys.keys.KeyViews.KeyView;
import dev.postgate.keys.keys.KeyViews.RevokeKeyRequest;
import dev.postgate.keys.keys.KeyViews.RollKeyRequest;
import dev.postgate.keys.keys.KeyViews.RolledFrom;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** The key management API for dashboard users: members read, admins change. */
@Path("/api/v1/keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "API keys")
public class KeyResource {
    /** How long a revoke or roll waits for its event to reach Kafka before answering anyway. */
    private static final Duration EVENT_WAIT = Duration.ofSeconds(1);

    @Inject
    KeyService service;

    @Inject
    AuditLog audit;

    @Inject
    OutboxRelay relay;

    @Inject
    Caller caller;

    @POST
    @Answers(201)
    @DashboardAccess(Role.ADMIN)
    @Operation(summary = "Create a key; the answer is the only place its secret ever appears")
    public Uni<RestResponse<KeyView>> create(CreateKeyRequest request) {
        return service.create(caller, request)
                .call(issued -> published())
                .map(issued -> RestResponse.status(RestResponse.Status.CREATED,
                        KeyView.of(issued.key(), Instant.now()).withSecret(issued.secret())));
    }

    @GET
    @DashboardAccess(Role.MEMBER)
    @Operation(summary = "List the organisation's keys, newest first")
    public Uni<Page<KeyView>> list(@RestQuery String status, @RestQuery String limit, @RestQuery String cursor) {
        PageRequest page = PageRequest.of(limit, cursor);
        KeyStatusFilter filter = KeyStatusFilter.parse(status);
        Instant now = Instant.now();
        return service.list(caller.orgId(), filter, page)
                .map(p -> new Page<>(p.items().stream().map(k -> KeyView.of(k, now)).toList(), p.nextCursor()));
    }

    @GET
    @Path("/{id}")
    @DashboardAccess(Role.MEMBER)
    @Operation(summary = "A key (never its secret)")
    public Uni<KeyView> get(@RestPath String id) {
        return service.get(caller.orgId(), id).map(k -> KeyView.of(k, Instant.now()));
    }

    @PATCH
    @Path("/{id}")
    @DashboardAccess(Role.ADMIN)
    @Operation(summary = "Rename a key (the name is the only thing that can change)")
    public Uni<KeyView> rename(@RestPath String id, Map<String, Object> patch) {
        return service.rename(caller, id, patch).map(k -> KeyView.of(k, Instant.now()));
    }

    @POST
    @Path("/{id}/revoke")
    @DashboardAccess(Role.ADMIN)
    @Operation(summary = "Revoke a key for good (idempotent)")
    public Uni<KeyView> revoke(@RestPath String id, RevokeKeyRequest request) {
        return service.revoke(caller, id, request == null ? null : request.reason())
                .call(this::published)
                .map(k -> KeyView.of(k, Instant.now()));
    }

    @DELETE
    @Path("/{id}")
    @DashboardAccess(Role.ADMIN)
    @Operation(summary = "Revoke a key for good (same as POST /revoke)")
    public Uni<KeyView> delete(@RestPath String id) {
        return revoke(id, null);
    }

    @POST
    @Answers(201)
    @Path("/{id}/roll")
    @DashboardAccess(Role.ADMIN)
    @Operation(summary = "Issue a replacement key; the old one keeps working for expire_old_in_seconds")
    public Uni<RestResponse<KeyView>> roll(@RestPath String id, RollKeyRequest request) {
        // Read the old key before waiting for the event: published() may complete on the relay's
        // thread, where no Vert.x context (and so no database session) is available.
        return service.roll(caller, id, request == null ? null : request.expireOldInSeconds(),
                request == null ? null : request.expiresAt())
                .chain(issued -> service.get(caller.orgId(), id).map(old -> RestResponse.status(RestResponse.Status.CREATED,
                        KeyView.of(issued.key(), Instant.now()).withSecret(issued.secret())
                                .withRolledFrom(new RolledFrom(old.id, old.expiresAt)))))
                .call(this::published);
    }

    @GET
    @Path("/{id}/audit")
    @DashboardAccess(Role.MEMBER)
    @WithSession
    @Operation(summary = "The key's audit log: create, rename, roll, revoke, expire")
    public Uni<Page<AuditView>> audit(@RestPath String id, @RestQuery String limit, @RestQuery String cursor) {
        PageRequest page = PageRequest.of(limit, cursor);
        return service.get(caller.orgId(), id)
                .chain(key -> audit.page(key.id, page))
                .map(rows -> Page.of(rows, page, e -> e.id, audit::view));
    }

    /** Waits (briefly) until the change's event is on Kafka; if Kafka is down the outbox keeps it. */
    private Uni<Void> published() {
        return relay.awaitPublished(EVENT_WAIT);
    }
}
