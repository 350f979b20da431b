package dev.postgate.workspaces.credits;

import static dev.postgate.common.validation.Violations.BODY_REQUIRED;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.Cancellable;

import dev.postgate.common.auth.Caller;
import dev.postgate.common.auth.ServiceAccess;
import dev.postgate.workspaces.credits.CreditViews.ReservationStatusView;
import dev.postgate.workspaces.credits.CreditViews.ReserveAllRequest;
import dev.postgate.workspaces.credits.CreditViews.ReserveRequest;
import dev.postgate.workspaces.credits.CreditViews.ReservedAllView;
import dev.postgate.workspaces.credits.CreditViews.ReservedView;
import dev.postgate.workspaces.credits.CreditViews.SettleRequest;
import io.smallrye.mutiny.Uni;

/**
 * SPEC section 7: credit reservations for the services that spend credits (service JWT only).
 * Every call is idempotent: reserve by its idempotency_key, settle and refund by their nature.
 */
@Cancellable(false)
@Path("/internal/v1/credits/reservations")
@Produces(MediaType.APPLICATION_JSON)
@ServiceAccess
@Tag(name = "Internal")
public class InternalReservationResource {
    @Inject
    ReservationService reservations;

    @Inject
    Caller caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Reserve credits: 201 {id, balance}, or 402 with nothing changed")
    public Uni<RestResponse<ReservedView>> reserve(@Valid @NotNull(message = BODY_REQUIRED) ReserveRequest body) {
        return reservations.reserve(caller, body)
                .map(reserved -> RestResponse.status(RestResponse.Status.CREATED, reserved));
    }

    @POST
    @Path("/batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Reserve for several items at once, all or nothing: 201 {balance, items}, or 402 with nothing changed")
    public Uni<RestResponse<ReservedAllView>> reserveAll(@Valid @NotNull(message = BODY_REQUIRED) ReserveAllRequest body) {
        return reservations.reserveAll(caller, body).map(reserved -> RestResponse.status(RestResponse.Status.CREATED, reserved));
    }

    @POST
    @Path("/{id}/settle")
    // No body (or {}) settles all of it, so a request without Content-Type is welcome too; a body is read as JSON.
    @Consumes({ MediaType.APPLICATION_JSON, MediaType.WILDCARD })
    @Operation(summary = "The work succeeded: keep {amount} credits (all when absent) and refund the rest, once; "
            + "409 after a refund, for another amount, or past expires_at")
    public Uni<ReservationStatusView> settle(@RestPath String id, @Valid SettleRequest body) {
        return reservations.settle(caller, id, body);
    }

    @POST
    @Path("/{id}/refund")
    @Operation(summary = "The work failed: give the credits back (idempotent; 409 after a settle)")
    public Uni<ReservationStatusView> refund(@RestPath String id) {
        return reservations.refund(caller, id);
    }
}
