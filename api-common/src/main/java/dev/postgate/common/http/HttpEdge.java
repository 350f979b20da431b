package dev.postgate.common.http;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.postgate.common.api.Ids;
import dev.postgate.common.api.UrlPaths;
import dev.postgate.common.errors.ApiException;
import dev.postgate.common.errors.NotFoundException;
import dev.postgate.common.errors.SimpleErrors;
import dev.postgate.common.errors.ValidationException;
import dev.postgate.common.keys.KeyRedaction;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * What happens to every request before and after the REST layer: the request id (the caller's
 * if it is 1–64 characters of {@code [A-Za-z0-9._-]}, else a new {@code req_…}; a bad one is
 * replaced, never rejected), the body limit of the normalised path ({@link RequestBodies} enforces
 * it once the credential has passed: on Content-Length before anything is read, then on the bytes),
 * and an enveloped 404 for paths nothing serves. Nothing here reads a body.
 */
@ApplicationScoped
public class HttpEdge {
    private static final Logger LOG = Logger.getLogger(HttpEdge.class);
    public static final String REQUEST_ID = "postgate.request_id";
    static final String BODY_LIMIT = "postgate.body_limit";
    static final String CONTENT_LENGTH = "postgate.content_length";
    private static final String NO_STORE = "no-store";
    /** How long the rest of a refused body is dropped before its connection is closed. */
    static final Duration LINGER = Duration.ofSeconds(2);
    private static final Pattern VALID_REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern ASCII_ESCAPE = Pattern.compile("%([0-7][0-9A-Fa-f])");
    /**
     * The JVM property that turns off the check Quarkus's HTTP server makes of every request URI
     * before any route, which answers a URI {@link URI} cannot parse with a bare 400 (no body, no
     * request id). Every launch sets it ({@link ServiceMain}; the parent pom for the tests' JVMs,
     * dev mode and the native build): {@link #onRequest} makes the same check as the first route,
     * in the envelope.
     */
    public static final String URI_VALIDATION_PROPERTY = "vertx.disableURIValidation";
    private static final String UNDECODABLE = "The request URI or its query cannot be decoded.";
    /** deploy/nginx/routes.conf answers a target holding a key in the same words. */
    public static final String KEY_IN_TARGET = "The request's path or query holds an API key. Send a key only in the Authorization header"
            + " (Bearer) or in X-API-Key; a key that has been in a URL may be in a log or a browser's history: roll it.";

    @Inject
    HttpConfig config;

    /** The HTTP server's own limit, Quarkus' property (so not in {@link HttpConfig}). */
    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    Optional<MemorySize> serverLimit;

    @Inject
    ObjectMapper mapper;

    @Inject
    AllowedMethods allowed;

    @Inject
    DeclaredTypes declaredTypes;

    void install(@Observes Router router) {
        checkServerLimit();
        router.route().order(-1000).handler(this::onRequest);
        router.route().last().handler(rc -> reply(rc, NotFoundException.path(rc.normalizedPath())));
        // Failures raised while routing (a bad request detected by a handler) answer in the envelope too.
        // (The router refuses a path it cannot decode before any route; a key in it is answered for too.)
        router.errorHandler(400, rc -> reply(rc, ValidationException.badRequest(holdsAKey(rc.request().uri()) ? KEY_IN_TARGET : UNDECODABLE)));
        router.errorHandler(413, rc -> reply(rc, SimpleErrors.payloadTooLarge(limit(rc))));
    }

    /**
     * The HTTP server's own limit ({@code quarkus.http.limits.max-body-size}) is a backstop under
     * Postgate's: it must leave room for the largest path limit, and should be no larger.
     */
    private void checkServerLimit() {
        long largest = largestLimit();
        if (serverLimit.isPresent() && serverLimit.get().asLongValue() < largest) {
            throw new IllegalStateException("quarkus.http.limits.max-body-size (" + serverLimit.get().asLongValue()
                    + " bytes) is below the largest postgate.http body limit (" + largest + " bytes); set it to " + largest + ".");
        }
        if (serverLimit.isPresent() && serverLimit.get().asLongValue() > largest) {
            LOG.warnf("quarkus.http.limits.max-body-size (%d bytes) is above the largest postgate.http body limit (%d bytes);"
                    + " set it to %d.", serverLimit.get().asLongValue(), largest, largest);
        }
    }

    long largestLimit() {
        long largest = config.maxBodyBytes();
        for (long limit : config.bodyLimits().values()) {
            largest = Math.max(largest, limit);
        }
        return largest;
    }

    private void onRequest(RoutingContext rc) {
        String requestId = requestIdFor(rc.request().getHeader(Headers.REQUEST_ID));
        rc.put(REQUEST_ID, requestId);
        rc.response().putHeader(Headers.REQUEST_ID, requestId);
        rc.addHeadersEndHandler(v -> keptByNoCache(rc));
        if (holdsAKey(rc.request().uri())) {
            reply(rc, ValidationException.badRequest(KEY_IN_TARGET));
            return;
        }
        if (!parsable(rc.request().uri())) {
            // The check the HTTP server makes when URI_VALIDATION_PROPERTY is not set, before anything decodes the path.
            reply(rc, ValidationException.badRequest(UNDECODABLE));
            return;
        }
        if (allowed.refusedBeforeRouting(rc.normalizedPath(), rc.request().method().name())) {
            // SPEC section 4: 405 for a wrong method on a known path, 404 where nothing is.
            Optional<String> allow = allowed.of(rc.normalizedPath());
            reply(rc, allow.isPresent() ? SimpleErrors.methodNotAllowed(rc.request().method().name(), allow)
                    : NotFoundException.path(rc.normalizedPath()));
            return;
        }
        long limit = limitFor(rc.request().method().name(), rc.normalizedPath());
        rc.put(BODY_LIMIT, limit);
        long declared = declaredLength(rc);
        if (declared > limit) {
            // The HTTP server's own check of the length, a route after this one, would answer 413 bare and
            // before the credential. RequestBodies refuses it, unread, after the checks SPEC section 4 puts first;
            // a request whose body nothing reads (a GET) is answered as if it had none, and its connection closed.
            rc.put(CONTENT_LENGTH, rc.request().getHeader(HttpHeaders.CONTENT_LENGTH));
            rc.request().headers().remove(HttpHeaders.CONTENT_LENGTH);
        }
        boolean body = declaresBody(rc);
        if (body) {
            // An answer given before the body was read (401, 413…) closes the connection.
            rc.addHeadersEndHandler(v -> {
                if (!rc.request().isEnded() && rc.request().version() != HttpVersion.HTTP_2) {
                    rc.response().putHeader(HttpHeaders.CONNECTION, "close");
                    rc.addBodyEndHandler(end -> closeAfterLinger(rc));
                }
            });
        }
        if (declared == 0 || !body && rc.request().version() != HttpVersion.HTTP_2) {
            // No body, no type: a bodiless POST (revoke, cancel…), or a GET or DELETE from a client that sends a
            // Content-Type on every request, is fine whatever its client put there. (An HTTP/1.1 request without a
            // length or chunks has no body; an HTTP/2 one may still send one.)
            rc.request().headers().remove(HttpHeaders.CONTENT_TYPE);
        }
        declaredTypes.setAside(rc, rc.normalizedPath(), body);
        rc.next();
    }

    /**
     * Every answer is its caller's alone, errors included: {@code Cache-Control: no-store} unless its
     * endpoint set its own (a media download may be kept privately and revalidated by its ETag; the
     * API document and the dashboard's scripts are fetched again on each use). A key sent as
     * {@code x-api-key} is not {@code Authorization}, which alone keeps an answer out of shared
     * caches. A 304 is left as it is: its headers replace those of the copy the client keeps, and a
     * no-store there would throw that copy away (no 304 goes without its own header today: a media
     * download's sets one, and static files are served without revalidation).
     */
    private static void keptByNoCache(RoutingContext rc) {
        if (rc.response().getStatusCode() != HttpResponseStatus.NOT_MODIFIED.code()
                && !rc.response().headers().contains(HttpHeaders.CACHE_CONTROL)) {
            rc.response().headers().set(HttpHeaders.CACHE_CONTROL, NO_STORE);
        }
    }

    /**
     * Whether a whole key is in the target (pasted where a key's id goes, an {@code ?api_key=}
     * parameter), any of its characters percent-encoded or not. Such a request is refused before
     * anything reads it, first of all: the key belongs in a header, and one that has been in a URL
     * may have been logged on its way (a proxy's error log, a browser's history), so the client is
     * told to roll it, even when the rest of the target is malformed.
     */
    public static boolean holdsAKey(String uri) {
        if (uri.indexOf('%') < 0) {
            return KeyRedaction.holdsAWholeKey(uri);
        }
        // A key is ASCII: its escaped characters are read back, any stray % or other escape left as it is.
        return KeyRedaction.holdsAWholeKey(ASCII_ESCAPE.matcher(uri)
                .replaceAll(escape -> Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(escape.group(1), 16)))));
    }

    static boolean parsable(String uri) {
        try {
            new URI(uri);
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * Closes the connection of a request answered before its body was read. Closing at once with
     * the client still sending would reset the connection and could lose the answer (a client
     * that sends its whole body before reading, as most do, would never see its 401 or 413); so,
     * as web servers do, what still arrives is dropped unread for at most {@link #LINGER}, then
     * the connection is closed.
     */
    private static void closeAfterLinger(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        HttpConnection connection = request.connection();
        long timer = rc.vertx().setTimer(LINGER.toMillis(), id -> connection.close());
        request.exceptionHandler(e -> rc.vertx().cancelTimer(timer));
        request.handler(ignored -> {
        });
        request.endHandler(end -> {
            rc.vertx().cancelTimer(timer);
            connection.close();
        });
        request.resume();
    }

    /** The body limit of this request's normalised path (the largest limit before routing). */
    public static long limit(RoutingContext rc) {
        Long limit = rc == null ? null : rc.get(BODY_LIMIT);
        return limit == null ? -1 : limit;
    }

    /**
     * The request's Content-Length as sent, read one way: -1 when it sends none or one that is not a
     * number. Read from here, not from the headers: an over-limit one is hidden from the HTTP server.
     */
    public static long declaredLength(RoutingContext rc) {
        String length = sentContentLength(rc);
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** True when the request says a body follows (a length other than zero, or chunks). */
    public static boolean declaresBody(RoutingContext rc) {
        if (sentContentLength(rc) != null) {
            return declaredLength(rc) != 0;
        }
        String encoding = rc.request().getHeader(HttpHeaders.TRANSFER_ENCODING);
        return encoding != null && !encoding.isBlank();
    }

    private static String sentContentLength(RoutingContext rc) {
        String kept = rc.get(CONTENT_LENGTH);
        return kept != null ? kept : rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
    }

    /**
     * The limit for a request: the general one, or for a POST (an upload) the larger one of a path
     * prefix it lies under. A path's other methods keep the general one: a DELETE of a media item
     * reads no file.
     */
    public long limitFor(String method, String path) {
        long limit = config.maxBodyBytes();
        if (!"POST".equals(method)) {
            return limit;
        }
        for (Map.Entry<String, Long> e : config.bodyLimits().entrySet()) {
            if (UrlPaths.isUnder(path, e.getKey())) {
                limit = Math.max(limit, e.getValue());
            }
        }
        return limit;
    }

    /** A request id that looks like an API key is replaced too: it would be echoed and logged. */
    public static String requestIdFor(String sent) {
        return sent != null && VALID_REQUEST_ID.matcher(sent).matches() && !KeyRedaction.looksLikeAKey(sent)
                ? sent : Ids.newId(Ids.REQUEST);
    }

    public static String requestId(RoutingContext rc) {
        String id = rc == null ? null : rc.get(REQUEST_ID);
        if (id == null) {
            id = requestIdFor(rc == null ? null : rc.request().getHeader(Headers.REQUEST_ID));
            if (rc != null) {
                rc.put(REQUEST_ID, id);
            }
        }
        return id;
    }

    /** Answers from the HTTP layer (no REST resource involved) with the error envelope. */
    public void reply(RoutingContext rc, ApiException error) {
        String body = json(Envelopes.error(error, requestId(rc)), () -> Envelopes.plainError(error, requestId(rc)));
        if (rc.response().headWritten()) {
            return;
        }
        if (rc.response().headers().get(Headers.REQUEST_ID) == null) {
            rc.response().putHeader(Headers.REQUEST_ID, requestId(rc));
        }
        error.headers().forEach(rc.response()::putHeader);
        rc.response().setStatusCode(error.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(body);
    }

    /** {@code envelope} as JSON, or {@code plain} (code, status and message only) when its details cannot be written. */
    private String json(Map<String, Object> envelope, Supplier<Map<String, Object>> plain) {
        try {
            return mapper.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            try {
                return mapper.writeValueAsString(plain.get());
            } catch (JsonProcessingException unwritable) {
                throw new UncheckedIOException(unwritable);
            }
        }
    }
}
