package dev.postgate.common.tracing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.MDC;

import dev.postgate.common.http.HttpEdge;
import io.vertx.ext.web.Router;

/** Every log line written while a request is handled carries its request id ({@code request_id} in the MDC). */
@ApplicationScoped
public class RequestIdLogging {
    public static final String MDC_KEY = "request_id";

    void install(@Observes Router router) {
        // Right after HttpEdge (order -1000) has settled the request id.
        router.route().order(-999).handler(rc -> {
            MDC.put(MDC_KEY, HttpEdge.requestId(rc));
            rc.addEndHandler(ignored -> MDC.remove(MDC_KEY));
            rc.next();
        });
    }
}
