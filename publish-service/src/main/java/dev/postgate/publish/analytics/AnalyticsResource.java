package dev.postgate.publish.analytics;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

import dev.postgate.common.auth.ApiKeyAccess;
import dev.postgate.common.auth.ApiKeyAccess.WorkspaceRule;
import dev.postgate.common.auth.Caller;
import dev.postgate.common.keys.Scopes;
import io.smallrye.mutiny.Uni;

@Path("/api/v1/analytics")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Analytics")
public class AnalyticsResource {
    @Inject
    AnalyticsService service;

    @Inject
    Caller caller;

    @GET
    @Path("/posts/{id}")
    @ApiKeyAccess(scope = Scopes.ANALYTICS_READ, workspace = WorkspaceRule.REQUIRED)
    @Operation(summary = "A post's numbers per social account as the platforms report them (zero until published, and for a platform that does not answer in time)")
    public Uni<PostAnalytics> post(@RestPath String id) {
        return service.forPost(caller, id);
    }
}
