package dev.postgate.common.http;

import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.postgate.common.api.Ids;
import dev.postgate.common.errors.ApiException;
import dev.postgate.common.errors.NotFoundException;
import dev.postgate.common.errors.SimpleErrors;
import dev.postgate.common.errors.ValidationException;
import dev.postgate.common.idempotency.IdempotencyFilters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * What happens to every request before and after the REST layer: the request id (the caller's
 * if it is 1–64 characters of {@code [A-Za-z0-9._-]}, else a new {@code req_…}; a bad one is
 * replaced, never rejected), the body limit (checked on Content-Length before anything is read),
 * and an enveloped 404 for paths nothing serves.
 */
@ApplicationScoped
public class HttpEdge {
    public static final String REQUEST_ID = "postgate.request_id";
    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final Pattern VALID_REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    @Inject
    HttpConfig config;

    @Inject
    ObjectMapper mapper;

    void install(@Observes Router router) {
        router.route().order(-1000).handler(this::onRequest);
        router.route().last().handler(rc -> reply(rc, new NotFoundException("The path " + rc.request().path())));
        // Failures raised while routing (a chunked body that grows past the limit while it is read, a bad
        // request detected by a handler) answer in the envelope too. A URI the HTTP server itself cannot
        // decode never reaches the router: Vert.x answers it with a bare 400.
        router.errorHandler(400, rc -> reply(rc, ValidationException.badRequest("The request URI or its query cannot be decoded.")));
        router.errorHandler(413, rc -> reply(rc, SimpleErrors.payloadTooLarge(limitFor(rc.request().path()))));
    }

    private void onRequest(RoutingContext rc) {
        String requestId = requestIdFor(rc.request().getHeader(REQUEST_ID_HEADER));
        rc.put(REQUEST_ID, requestId);
        rc.response().putHeader(REQUEST_ID_HEADER, requestId);
        String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            long limit = limitFor(rc.request().path());
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                declared = -1;
            }
            if (declared > limit) {
                rc.response().putHeader(HttpHeaders.CONNECTION, "close");
                reply(rc, SimpleErrors.payloadTooLarge(limit));
                return;
            }
            if (declared == 0) {
                // An empty body has no type: a bodiless POST (revoke, cancel…) is fine whatever its client put there.
                rc.request().headers().remove(HttpHeaders.CONTENT_TYPE);
            }
        }
        if (rc.request().method() == HttpMethod.POST && rc.request().getHeader(IdempotencyFilters.HEADER) != null
                && isJsonOrUntyped(rc)) {
            // Read the body here so the idempotency fingerprint can hash it; the REST layer reads it from the context.
            BodyHandler.create(false).setBodyLimit(limitFor(rc.request().path())).handle(rc);
            return;
        }
        rc.next();
    }

    /**
     * Only JSON (or untyped) bodies are read here: a form body would be parsed by the body handler
     * and never reach the REST layer. Uploads are fingerprinted by length (see IdempotencyFilters).
     */
    private static boolean isJsonOrUntyped(RoutingContext rc) {
        String type = rc.request().getHeader(HttpHeaders.CONTENT_TYPE);
        return type == null || type.toLowerCase().contains("json");
    }

    long limitFor(String path) {
        long limit = config.maxBodyBytes();
        for (Map.Entry<String, Long> e : config.bodyLimits().entrySet()) {
            if (path.startsWith(e.getKey())) {
                limit = Math.max(limit, e.getValue());
            }
        }
        return limit;
    }

    public static String requestIdFor(String sent) {
        return sent != null && VALID_REQUEST_ID.matcher(sent).matches() ? sent : Ids.newId("req");
    }

    public static String requestId(RoutingContext rc) {
        String id = rc == null ? null : rc.get(REQUEST_ID);
        if (id == null) {
            id = requestIdFor(rc == null ? null : rc.request().getHeader(REQUEST_ID_HEADER));
            if (rc != null) {
                rc.put(REQUEST_ID, id);
            }
        }
        return id;
    }

    /** Answers from the HTTP layer (no REST resource involved) with the error envelope. */
    public void reply(RoutingContext rc, ApiException error) {
        String body;
        try {
            body = mapper.writeValueAsString(Envelopes.error(error, requestId(rc)));
        } catch (JsonProcessingException e) {
            body = "{\"data\":null,\"error\":{\"code\":\"" + error.code() + "\",\"status\":" + error.status() + "},\"meta\":{}}";
        }
        if (rc.response().headWritten()) {
            return;
        }
        if (rc.response().headers().get(REQUEST_ID_HEADER) == null) {
            rc.response().putHeader(REQUEST_ID_HEADER, requestId(rc));
        }
        error.headers().forEach(rc.response()::putHeader);
        rc.response().setStatusCode(error.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(body);
    }
}
