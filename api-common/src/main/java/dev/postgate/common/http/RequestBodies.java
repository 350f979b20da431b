package dev.postgate.common.http;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.postgate.common.errors.SimpleErrors;
import dev.postgate.common.errors.ValidationException;
import dev.postgate.common.errors.ValidationException.FieldError;
import dev.postgate.common.validation.TextRule;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads request bodies once the credential has passed (SPEC section 6): a filter that runs after
 * authentication and the key's checks, reads the body up to the limit of its normalised path
 * (413 in the envelope as soon as it grows past it, chunked or not), applies the text rule to JSON
 * bodies (SPEC section 4: a NUL or a lone surrogate is 422 naming the field), and hands the bytes
 * to the REST layer and to the Idempotency-Key fingerprint. Until then the request stays paused:
 * a refused request is answered without reading its body. Endpoints marked {@link StreamedBody}
 * read their bodies themselves.
 */
public class RequestBodies {
    /** The bytes of the body, once read (byte[]). */
    public static final String BODY = "postgate.body";

    @Inject
    ObjectMapper mapper;

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION + 50)
    public Uni<Void> read(ContainerRequestContext request, ResourceInfo resource, RoutingContext rc) {
        HttpServerRequest http = rc.request();
        if (!HttpEdge.declaresBody(rc) || http.method() == HttpMethod.GET || http.method() == HttpMethod.HEAD
                || resource.getResourceMethod().isAnnotationPresent(StreamedBody.class)) {
            return Uni.createFrom().voidItem();
        }
        return read(rc, HttpEdge.limit(rc)).invoke(bytes -> {
            rc.put(BODY, bytes);
            request.setEntityStream(new ByteArrayInputStream(bytes));
            if (DeclaredTypes.isJsonOrUntyped(http.getHeader(HttpHeaders.CONTENT_TYPE))) {
                checkText(mapper, bytes);
            }
        }).replaceWithVoid();
    }

    /** SPEC section 4's text rule on a JSON body: 422 naming each field that holds a NUL or a lone surrogate. */
    public static void checkText(ObjectMapper mapper, byte[] json) {
        List<FieldError> refused = TextRule.violations(mapper.getFactory(), json);
        if (!refused.isEmpty()) {
            throw ValidationException.invalid(refused);
        }
    }

    /**
     * Reads the whole body of a paused request, failing with 413 PAYLOAD_TOO_LARGE as soon as it
     * passes {@code limit} (the rest is never read: the answer closes the connection). Asks a
     * client that sent {@code Expect: 100-continue} for the body first.
     */
    public static Uni<byte[]> read(RoutingContext rc, long limit) {
        Buffer body = Buffer.buffer(initialCapacity(rc, limit));
        return stream(rc, limit, new Sink<>() {
            @Override
            public Uni<Void> piece(Buffer piece) {
                body.appendBuffer(piece);
                return null;
            }

            @Override
            public Uni<byte[]> end() {
                return Uni.createFrom().item(body.getBytes());
            }
        });
    }

    /** Where {@link #stream} puts a body's pieces. A sink refuses the body by throwing. */
    public interface Sink<T> {
        /** Takes the next piece; a Uni to wait for before reading on (the request is paused meanwhile), or null to read on. */
        Uni<Void> piece(Buffer piece);

        /** The body has ended: what it came to. */
        Uni<T> end();
    }

    /**
     * Reads the body of a paused request piece by piece into {@code sink}: the one way a body is
     * read, whole or streamed. Fails with 413 PAYLOAD_TOO_LARGE, unread, when the body declares a
     * length over {@code limit}, or as soon as it passes it; with what the sink throws, or with 400
     * when the connection fails; then stops reading (the rest is never read: the answer closes the
     * connection). Asks a client that sent {@code Expect: 100-continue} for the body first.
     */
    public static <T> Uni<T> stream(RoutingContext rc, long limit, Sink<T> sink) {
        return declaredWithin(rc, limit).chain(() -> readPieces(rc, limit, sink));
    }

    /**
     * Fails with 413 PAYLOAD_TOO_LARGE, the body unread, when the request declares a length over
     * {@code limit} (SPEC section 4: after the credential and the key's checks). {@link #stream}
     * checks it first; a caller that must refuse before it takes something (an upload slot) asks here.
     */
    public static Uni<Void> declaredWithin(RoutingContext rc, long limit) {
        return HttpEdge.declaredLength(rc) > limit ? Uni.createFrom().failure(SimpleErrors.payloadTooLarge(limit))
                : Uni.createFrom().voidItem();
    }

    private static <T> Uni<T> readPieces(RoutingContext rc, long limit, Sink<T> sink) {
        HttpServerRequest request = rc.request();
        if (request.isEnded()) {
            return Uni.createFrom().deferred(sink::end);
        }
        return Uni.createFrom().emitter(emitter -> {
            long[] received = { 0 };
            // Set once the body is refused, read or abandoned (a timeout downstream): a piece still
            // being written then neither resumes the request nor lets its end reach the sink.
            AtomicBoolean stopped = new AtomicBoolean();
            emitter.onTermination(() -> {
                stopped.set(true);
                stopReading(request);
            });
            request.handler(piece -> {
                received[0] += piece.length();
                Uni<Void> written;
                try {
                    if (received[0] > limit) {
                        throw SimpleErrors.payloadTooLarge(limit);
                    }
                    written = sink.piece(piece);
                } catch (RuntimeException e) {
                    emitter.fail(e);
                    return;
                }
                if (written != null) {
                    request.pause();
                    written.subscribe().with(done -> {
                        if (!stopped.get()) {
                            request.resume();
                        }
                    }, emitter::fail);
                }
            });
            request.exceptionHandler(e -> emitter.fail(
                    ValidationException.badRequest("The request body could not be read: the connection failed while it was sent.")));
            request.endHandler(end -> {
                if (!stopped.get()) {
                    Uni.createFrom().deferred(sink::end).subscribe().with(emitter::complete, emitter::fail);
                }
            });
            askForBody(rc);
            request.resume();
        });
    }

    /** Sends {@code 100 Continue} when the client waits for it before sending the body. */
    private static void askForBody(RoutingContext rc) {
        String expect = rc.request().getHeader(HttpHeaders.EXPECT);
        if (expect != null && expect.equalsIgnoreCase("100-continue") && !rc.response().headWritten()) {
            rc.response().writeContinue();
        }
    }

    /**
     * Stops reading a body that was read piece by piece (done, refused or abandoned): its handlers
     * go, and what was not read stays unread (the answer closes the connection, HttpEdge).
     */
    private static void stopReading(HttpServerRequest request) {
        request.handler(null);
        request.exceptionHandler(null);
        request.endHandler(null);
        if (!request.isEnded()) {
            request.pause();
        }
    }

    private static int initialCapacity(RoutingContext rc, long limit) {
        return initialCapacity(HttpEdge.declaredLength(rc), limit);
    }

    /** The most a body's buffer takes before its bytes arrive; it grows as they do. */
    static final int FIRST_ALLOCATION = 16 * 1024;

    /**
     * The buffer a body of {@code declared} bytes (-1: not said) starts with: what it says, up to
     * {@link #FIRST_ALLOCATION}. Found by review: it was what it said, up to the path's limit, so a
     * key holder could make the service set aside 1 MB per request by declaring a body and sending
     * none of it, a few hundred requests short of its heap.
     */
    static int initialCapacity(long declared, long limit) {
        return declared < 0 ? 1024 : (int) Math.min(Math.min(declared, limit), FIRST_ALLOCATION);
    }
}
