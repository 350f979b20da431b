package dev.postgate.workspaces.credits;

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

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.postgate.common.auth.Caller;
import dev.postgate.common.auth.ServiceAccess;
import dev.postgate.common.errors.ValidationException;
import dev.postgate.workspaces.credits.CreditViews.ReservationStatusView;
import dev.postgate.workspaces.credits.CreditViews.ReservedAllView;
import dev.postgate.workspaces.credits.CreditViews.ReservedView;
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
    Caller caller;

    @Inject
    ObjectMapper mapper;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Reserve credits: 201 {id, balance}, or 402 with nothing changed")
    public Uni<RestResponse<ReservedView>> reserve(JsonNode body) {
        return reservations.reserve(caller, body)
                .map(reserved -> RestResponse.status(RestResponse.Status.CREATED, reserved));
    }

    @POST
    @Path("/batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Reserve for several items at once, all or nothing: 201 {balance, items}, or 402 with nothing changed")
    public Uni<RestResponse<ReservedAllView>> reserveAll(JsonNode body) {
        return reservations.reserveAll(caller, body).map(reserved -> RestResponse.status(RestResponse.Status.CREATED, reserved));
    }

    @POST
    @Path("/{id}/settle")
    @Operation(summary = "The work succeeded: keep {amount} credits (all when absent) and refund the rest, once; "
            + "409 after a refund, for another amount, or past expires_at")
    public Uni<ReservationStatusView> settle(@RestPath String id, String body) {
        return reservations.settle(caller, id, optionalJson(body));
    }

    /** A settle's body is optional (no body, or {} settles everything); anything else must be a JSON object. */
    private JsonNode optionalJson(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode node = mapper.readTree(body);
            if (!node.isObject()) {
                throw ValidationException.badRequest("Send a JSON object, e.g. {\"amount\": 3}, or no body.");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ValidationException.badRequest("The body is not valid JSON.");
        }
    }

    @POST
    @Path("/{id}/refund")
    @Operation(summary = "The work failed: give the credits back (idempotent; 409 after a settle)")
    public Uni<ReservationStatusView> refund(@RestPath String id) {
        return reservations.refund(caller, id);
    }
}
