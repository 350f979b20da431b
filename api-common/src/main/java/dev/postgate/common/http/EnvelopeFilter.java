package dev.postgate.common.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.vertx.ext.web.RoutingContext;

/**
 * Wraps what API resources and the dashboard page's own calls return in the success envelope, so
 * resources return plain views (or {@link dev.postgate.common.api.Page}s). Errors arrive already
 * enveloped from {@link ErrorMapper}; downloads (bytes, streams) pass through.
 */
public class EnvelopeFilter {
    @ServerResponseFilter(priority = 100)
    public void wrap(ContainerRequestContext request, ContainerResponseContext response, RoutingContext rc) {
        String path = request.getUriInfo().getPath();
        // The API, the internal API and the dashboard page's own calls.
        if (!(path.startsWith("/api/") || path.startsWith("/internal/") || path.startsWith("/dashboard/"))) {
            return;
        }
        Object entity = response.getEntity();
        if (entity == null && response.getStatus() == 204) {
            // Nothing answers 204: an empty success is {"data": null, ...}.
            response.setStatus(200);
            response.setEntity(Envelopes.success(null, HttpEdge.requestId(rc)), null, MediaType.APPLICATION_JSON_TYPE);
            return;
        }
        if (entity == null || Envelopes.isEnvelope(entity) || entity instanceof byte[]
                || entity instanceof java.io.InputStream || entity instanceof io.vertx.core.buffer.Buffer) {
            return;
        }
        MediaType type = response.getMediaType();
        if (type != null && !type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
            return;
        }
        response.setEntity(Envelopes.success(entity, HttpEdge.requestId(rc)), null, MediaType.APPLICATION_JSON_TYPE);
    }
}
