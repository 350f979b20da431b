package dev.postgate.keys.keys;

import static dev.postgate.common.validation.Violations.BODY_REQUIRED;

import java.time.Duration;
import java.time.Instant;

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
import dev.postgate.common.api.QueryOneOf;
import dev.postgate.common.api.PageRequest;
import dev.postgate.common.auth.Caller;
import dev.postgate.common.auth.DashboardAccess;
import dev.postgate.common.auth.Role;
import dev.postgate.common.errors.NotFoundException;
import dev.postgate.common.outbox.Outbox;
import dev.postgate.common.outbox.OutboxRelay;
import dev.postgate.common.time.TimeSource;
import dev.postgate.keys.keys.AuditLog.AuditView;
import dev.postgate.keys.keys.KeyViews.CreateKeyRequest;
import dev.postgate.keys.keys.KeyViews.KeyView;
import dev.postgate.keys.keys.KeyViews.RenameKeyRequest;
import dev.postgate.keys.keys.KeyViews.RevokeKeyRequest;
import dev.postgate.keys.keys.KeyViews.RollKeyRequest;
import dev.postgate.keys.keys.KeyViews.RolledFrom;
import dev.postgate.keys.receipts.Receipts;
import dev.postgate.keys.receipts.Receipts.Propagation;
import io.smallrye.mutiny.Uni;

/** The key management API for dashboard users: members read, admins change. */
@Cancellable(false)
@Path("/api/v1/keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "API keys")
public class KeyResource {
    /** A wait of 0 still lets a send that returns at once (the usual case) go out before the answer. */
    private static final Duration MIN_EVENT_WAIT = Duration.ofMillis(1);

    @Inject
    TimeSource time;

    @Inject
    Receipts receipts;

    @Inject
    KeyService service;

    @Inject
    AuditLog audit;

    @Inject
    OutboxRelay relay;

    @Inject
    Caller caller;

    @POST
    @Answers(value = 201, location = "/api/v1/keys/{id}", conflicts = "KEY_LIMIT_REACHED: the organisation already has its "
            + "maximum of active keys (revoke one, or roll an existing key instead)")
    @DashboardAccess(Role.ADMIN)
    @Operation(summary = "Create a key; the answer is the only place its secret ever appears")
    public Uni<RestResponse<KeyView>> create(@Valid @NotNull(message = BODY_REQUIRED) CreateKeyRequest request) {
        Outbox.sendOwnEvents();
        return service.create(caller, request)
                .call(issued -> published())
                .map(issued -> withSecret(KeyView.of(issued.key(), time.now()).withSecret(issued.secret())));
    }

    @GET
    @DashboardAccess(Role.MEMBER)
    @Operation(summary = "List the organisation's keys, newest first")
    public Uni<Page<KeyView>> list(@RestQuery @QueryOneOf(KeyStatusFilter.class) String status, @BeanParam PageQuery query) {
        PageRequest page = query.page(Ids.KEY);
        KeyStatusFilter filter = KeyStatusFilter.parse(status);
        Instant now = time.now();
        return service.list(caller.orgId(), filter, page).map(p -> p.map(k -> KeyView.of(k, now)));
    }

    @GET
    @Path("/{id}")
    @DashboardAccess(Role.MEMBER)
    @Operation(summary = "A key (never its secret)")
    public Uni<KeyView> get(@RestPath String id) {
        return service.get(caller.orgId(), id).map(k -> KeyView.of(k, time.now()));
    }

    @PATCH
    @Path("/{id}")
    @DashboardAccess(Role.ADMIN)
    @Operation(summary = "Rename a key (the name is the only thing that can change)")
    public Uni<KeyView> rename(@RestPath String id, @Valid @NotNull(message = BODY_REQUIRED) RenameKeyRequest patch) {
        // Its api_key.updated is sent by this request, so that it reaches the topic before any later change's.
        Outbox.sendOwnEvents();
        return service.rename(caller, id, patch.name())
                .call(renamed -> published())
                .map(k -> KeyView.of(k, time.now()));
    }

    @POST
    @Path("/{id}/revoke")
    @DashboardAccess(Role.ADMIN)
    @Operation(summary = "Revoke a key for good (idempotent)")
    public Uni<KeyView> revoke(@RestPath String id, @BeanParam PropagationWait waitMs, @Valid RevokeKeyRequest request) {
        Duration wait = waitMs.duration();
        Instant asked = time.now();
        Outbox.sendOwnEvents();
        return service.revoke(caller, id, request == null ? null : request.reason())
                .chain(k -> (k.revokedAt.isBefore(asked)
                        ? published(wait).chain(() -> receipts.afterItsWait(k.id, k.revokedAt, wait))
                        : publishedWithReceipt(receipts.await(k.id, k.seq, k.revokedAt, wait), wait))
                        .map(receipt -> KeyView.of(k, time.now()).withPropagation(receipt)));
    }

    @DELETE
    @Path("/{id}")
    @DashboardAccess(Role.ADMIN)
    @Operation(summary = "Revoke a key for good (same as POST /revoke)")
    public Uni<KeyView> delete(@RestPath String id, @BeanParam PropagationWait waitMs) {
        return revoke(id, waitMs, null);
    }

    @GET
    @Path("/{id}/propagation")
    @DashboardAccess(Role.MEMBER)
    @Operation(summary = "The key's latest revocation receipt: which live instances applied the change, with late confirmations")
    public Uni<Propagation> propagation(@RestPath String id) {
        return service.get(caller.orgId(), id)
                .chain(key -> receipts.latest(key.id))
                .onItem().ifNull().failWith(() -> new NotFoundException("A revocation receipt of key " + id));
    }

    @POST
    @Answers(value = 201, location = "/api/v1/keys/{id}", conflicts = "CONFLICT: the key is revoked or expired, or was rolled already")
    @Path("/{id}/roll")
    @DashboardAccess(Role.ADMIN)
    @Operation(summary = "Issue a replacement key; the old one keeps working for expire_old_in_seconds")
    public Uni<RestResponse<KeyView>> roll(@RestPath String id, @BeanParam PropagationWait waitMs, @Valid RollKeyRequest request) {
        Duration wait = waitMs.duration();
        boolean endsNow = request == null || request.expireOldInSeconds() == null || request.expireOldInSeconds() == 0;
        Outbox.sendOwnEvents();
        return service.roll(caller, id, request == null ? null : request.expireOldInSeconds(),
                request == null ? null : request.expiresAt())
                // The old key stops now: the answer waits for its receipt as a revoke's does (data.propagation is the old
                // key's). The roll has committed and its secret is shown only here, so a receipt that cannot be stored
                // leaves the answer without one (Receipts says why in the log), never without the secret.
                .chain(rolled -> (endsNow
                        ? publishedWithReceipt(receipts.await(rolled.old().id, rolled.old().seq, rolled.old().updatedAt, wait)
                                .onFailure().recoverWithNull(), wait)
                        : published().replaceWith(Uni.createFrom().<Propagation>nullItem()))
                        .map(receipt -> withSecret(KeyView.of(rolled.fresh().key(), time.now()).withSecret(rolled.fresh().secret())
                                .withRolledFrom(new RolledFrom(rolled.old().id, rolled.old().expiresAt))
                                .withPropagation(receipt))));
    }

    /** The 201 of a key with its secret, shown this once (kept by no cache, as every answer: HttpEdge). */
    private static RestResponse<KeyView> withSecret(KeyView created) {
        return RestResponse.ResponseBuilder.create(RestResponse.Status.CREATED, created).build();
    }

    @GET
    @Path("/{id}/audit")
    @DashboardAccess(Role.MEMBER)
    @Operation(summary = "The key's audit log: create, rename, roll, revoke, expire")
    public Uni<Page<AuditView>> audit(@RestPath String id, @BeanParam PageQuery query) {
        return service.audit(caller.orgId(), id, query.page(Ids.AUDIT_ENTRY, id)).map(p -> p.map(audit::view));
    }

    /**
     * The change's event sent to Kafka and, at the same time, the wait for its receipt (which
     * starts after the commit, so the two overlap: the receipt cannot confirm before the event is out).
     */
    private Uni<Propagation> publishedWithReceipt(Uni<Propagation> receipt, Duration wait) {
        return Uni.combine().all().unis(published(wait).replaceWith(Boolean.TRUE), receipt).with((sent, propagation) -> propagation);
    }

    /**
     * Waits (briefly) until the change's event is on Kafka (sent by this request, which said so
     * before its change with {@link Outbox#sendOwnEvents()}); if Kafka is down the outbox keeps it.
     */
    private Uni<Void> published() {
        return relay.awaitPublished();
    }

    /** {@link #published()}, but no longer than the caller's {@code wait_ms} (SPEC section 6: the answer comes when the wait runs out). */
    private Uni<Void> published(Duration wait) {
        Duration bound = wait.compareTo(OutboxRelay.ANSWER_WAIT) < 0 ? wait : OutboxRelay.ANSWER_WAIT;
        return relay.awaitPublished(bound.isZero() ? MIN_EVENT_WAIT : bound);
    }
}
