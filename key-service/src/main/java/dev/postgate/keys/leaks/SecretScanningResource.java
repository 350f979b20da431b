package dev.postgate.keys.leaks;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.postgate.common.api.Answers;
import dev.postgate.common.http.HttpEdge;
import dev.postgate.common.http.RequestBodies;
import dev.postgate.common.http.StreamedBody;
import dev.postgate.keys.leaks.LeakReports.Feedback;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/** GitHub's secret-scanning partner endpoint (SPEC section 10): reports signed by GitHub, no other credential. */
@Cancellable(false)
@Path("/api/v1/secret-scanning")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Leaked keys")
public class SecretScanningResource {
    /** GitHub's headers on a report: which of its keys signed it, and the signature. */
    public static final String KEY_IDENTIFIER = "Github-Public-Key-Identifier";
    public static final String SIGNATURE = "Github-Public-Key-Signature";

    @Inject
    LeakReports reports;

    @Inject
    ObjectMapper mapper;

    @POST
    @Answers(200)
    @Path("/github")
    @Operation(summary = "GitHub's secret-scanning partner endpoint: each reported token of an active key is revoked as leaked")
    @APIResponse(responseCode = "200", description = "GitHub's feedback, one item per reported token (not enveloped: GitHub reads it as it is).",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = Feedback.class)))
    @APIResponse(responseCode = "401", description = "UNAUTHORIZED: the Github-Public-Key-Identifier or Github-Public-Key-Signature "
            + "header is missing, or the signature does not verify with GitHub's key of that identifier; nothing was revoked.")
    @APIResponse(responseCode = "429", description = "RATE_LIMITED: too many reports from this client address (Retry-After).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @StreamedBody
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> github(@HeaderParam(KEY_IDENTIFIER) String keyIdentifier,
            @HeaderParam(SIGNATURE) String signature, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, RoutingContext rc) {
        // Read here, not by RequestBodies: the signature covers these bytes and is checked before their type (any type is
        // taken while routing, so that a report not signed by GitHub is 401 whatever its type) and any rule on their text.
        return RequestBodies.read(rc, HttpEdge.limit(rc))
                .chain(body -> reports.fromGitHub(keyIdentifier, signature, contentType, body))
                .map(feedback -> Response.ok(json(feedback), MediaType.APPLICATION_JSON_TYPE).build());
    }

    private byte[] json(List<Feedback> feedback) {
        try {
            return mapper.writeValueAsBytes(feedback);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
