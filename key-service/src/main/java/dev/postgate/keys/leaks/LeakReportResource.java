package dev.postgate.keys.leaks;

import static dev.postgate.common.validation.Violations.BODY_REQUIRED;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.Cancellable;

import dev.postgate.common.api.Answers;
import io.smallrye.mutiny.Uni;

/** The public leaked-key report (SPEC section 10): no credential, whoever holds a key can kill it. */
@Cancellable(false)
@Path("/api/v1/keys/report-leaked")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Leaked keys")
public class LeakReportResource {
    @Inject
    LeakReports reports;

    /** The public report's body. */
    public record ReportLeakedRequest(
            @NotNull(message = KEYS_RULE) @Size(min = 1, max = MAX_PUBLIC_KEYS, message = KEYS_RULE)
            List<@NotNull(message = "must be a key (a string)") String> keys) {
    }

    static final int MAX_PUBLIC_KEYS = 100;
    static final String KEYS_RULE = "must be a list of 1 to " + MAX_PUBLIC_KEYS + " keys";

    /** The public report's answer: how many keys were received, whatever they were. */
    public record Received(int received) {
    }

    @POST
    @Answers(202)
    @APIResponse(responseCode = "202", description = "Accepted, the same whatever the keys were: each that is an active key is revoked in the background.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Received.class)))
    @APIResponse(responseCode = "429", description = "RATE_LIMITED: too many reports from this client address (Retry-After).")
    @Operation(summary = "Report leaked keys: each that is active is revoked in the background; the answer is the same whatever they were")
    public Uni<RestResponse<Received>> reportLeaked(@Valid @NotNull(message = BODY_REQUIRED) ReportLeakedRequest request) {
        return reports.fromAnyone(request.keys())
                .map(received -> RestResponse.status(RestResponse.Status.ACCEPTED, new Received(received)));
    }
}
