package dev.postgate.workspaces.internal;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.JsonNode;

import dev.postgate.common.auth.Caller;
import dev.postgate.common.auth.ServiceAccess;
import dev.postgate.common.outbox.OutboxRelay;
import dev.postgate.workspaces.credits.CreditViews.ReservationStatusView;
import dev.postgate.workspaces.credits.CreditViews.ReservedView;
import dev.postgate.workspaces.credits.ReservationService;
import io.smallrye.mutiny.Uni;

/**
 * SPEC section 7: credit reservations for the services that spend credits (service JWT only).
 * Every call is idempotent: reserve by its idempotency_key, settle and refund by their nature.
 */
@Path("/internal/v1/credits/reservations")
@Produces(MediaType.APPLICATION_JSON)
@ServiceAccess
@Tag(name = "Internal")
public class InternalReservationResource {
    @Inject
    ReservationService reservations;

    @Inject
    OutboxRelay relay;

    @Inject
    Caller caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Reserve credits: 201 {id, balance}, or 402 with nothing changed")
    public Uni<RestResponse<ReservedView>> reserve(JsonNode body) {
        return reservations.reserve(caller, body)
                // A reserve may have added a credits.low event.
                .invoke(relay::wake)
                .map(reserved -> RestResponse.status(RestResponse.Status.CREATED, reserved));
    }

    @POST
    @Path("/{id}/settle")
    @Operation(summary = "The work succeeded: keep the credits (idempotent; 409 after a refund)")
    public Uni<ReservationStatusView> settle(@RestPath String id) {
        return reservations.settle(caller, id);
    }

    @POST
    @Path("/{id}/refund")
    @Operation(summary = "The work failed: give the credits back (idempotent; 409 after a settle)")
    public Uni<ReservationStatusView> refund(@RestPath String id) {
        return reservations.refund(caller, id);
    }
}
