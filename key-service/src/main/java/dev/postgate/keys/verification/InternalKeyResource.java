package dev.postgate.keys.verification;

import static dev.postgate.common.validation.Violations.BODY_REQUIRED;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import dev.postgate.common.auth.ServiceAccess;
import dev.postgate.keys.verification.VerificationService.UsageAccepted;
import dev.postgate.keys.verification.VerificationService.UsageReport;
import dev.postgate.keys.verification.VerificationService.VerifiedKey;
import dev.postgate.keys.verification.VerificationService.VerifyRequest;
import io.smallrye.mutiny.Uni;

/** SPEC section 7, for workspace-service and publish-service (service JWT only). */
@Cancellable(false)
@Path("/internal/v1/keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@ServiceAccess
@Tag(name = "Internal")
public class InternalKeyResource {
    @Inject
    VerificationService verification;

    @POST
    @Path("/verify")
    public Uni<VerifiedKey> verify(@Valid @NotNull(message = BODY_REQUIRED) VerifyRequest request) {
        return verification.verify(request);
    }

    @POST
    @Path("/usage")
    public Uni<UsageAccepted> usage(@Valid @NotNull(message = BODY_REQUIRED) UsageReport report) {
        return verification.recordUsage(report);
    }
}
