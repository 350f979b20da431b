package dev.postgate.common.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

import jakarta.enterprise.util.TypeLiteral;
import jakarta.ws.rs.core.HttpHeaders;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import dev.postgate.common.auth.ServiceTokens;
import dev.postgate.common.concurrent.CallerContext;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * Calls from one Postgate service to another's internal API ({@code /internal/v1/…}): the one
 * place for what every such client shares: the other service's base URL, this service's service
 * JWT on every call, a timeout per call, path segments encoded, the {@code data} and
 * {@code error} of an answer read one way, and the fault tolerance of every call ({@link #send}).
 * Each client (key-service's, workspace-service's) keeps only what its endpoints mean.
 * <p>
 * Fault tolerance is SmallRye Fault Tolerance's: a circuit breaker per other service (when most of
 * the last {@value #BREAKER_VOLUME} calls got no answer, calls are refused at once for
 * {@link #BREAKER_DELAY}, then let through to try), and retries for the calls a client says are safe
 * to repeat. The timeout stays the HTTP client's: a cancelled call would keep its connection until
 * the other service answers, a timed-out request gives it back.
 */
public final class InternalApi {
    /** The other service gave no usable answer (down, slow, or an unexpected status). */
    public static class Unreachable extends RuntimeException {
        public Unreachable(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    /** The connections a client keeps to one service at most, enough for a busy instance's concurrent calls. */
    public static final int POOL_SIZE = 32;

    /** Calls that decide whether the circuit breaker opens, and the share of them that must fail. */
    static final int BREAKER_VOLUME = 20;
    static final double BREAKER_FAILURE_RATIO = 0.5;
    /** How long an open breaker refuses calls before it lets one through to try. */
    static final Duration BREAKER_DELAY = Duration.ofSeconds(2);
    /** Between two tries of a call that is safe to repeat. */
    static final Duration RETRY_DELAY = Duration.ofMillis(100);
    private static final TypeLiteral<Uni<HttpResponse<Buffer>>> ANSWER = new TypeLiteral<>() {
    };

    private final String service;
    private final WebClient client;
    private final String baseUrl;
    private final Duration timeout;
    private final ServiceTokens tokens;
    private final Guard breaker;
    private final Guard retries;

    /**
     * {@code service}: the other service's name (in messages); {@code maxPoolSize}: connections kept
     * to it (0 for the client's default); {@code retries}: extra tries of a call that got no answer,
     * for the calls that are safe to repeat.
     */
    public InternalApi(Vertx vertx, String service, String baseUrl, Duration timeout, int maxPoolSize, int retries,
            ServiceTokens tokens) {
        WebClientOptions options = new WebClientOptions().setKeepAlive(true).setConnectTimeout((int) timeout.toMillis());
        if (maxPoolSize > 0) {
            options.setMaxPoolSize(maxPoolSize);
        }
        this.service = service;
        this.client = WebClient.create(vertx, options);
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.timeout = timeout;
        this.tokens = tokens;
        this.breaker = Guard.create().withDescription(service)
                .withCircuitBreaker().requestVolumeThreshold(BREAKER_VOLUME).failureRatio(BREAKER_FAILURE_RATIO)
                .delay(BREAKER_DELAY.toMillis(), ChronoUnit.MILLIS).failOn(Unreachable.class).done()
                .build();
        this.retries = Guard.create().withDescription(service + " (repeatable calls)")
                .withRetry().maxRetries(retries).delay(RETRY_DELAY.toMillis(), ChronoUnit.MILLIS).retryOn(Unreachable.class).done()
                .build();
    }

    /**
     * Sends a call built by {@code request} (once per try): the answer, whatever its status, or
     * {@link Unreachable} when there was none (connection refused, timeout) or the circuit breaker
     * is open. {@code repeatable}: the call may be sent again after one that got no answer.
     * <p>
     * The answer (or failure) comes back on the caller's Vert.x context: the HTTP client and a
     * retry's delay answer on threads of their own, where the caller's reactive session and
     * transaction do not live (HR000069), and a flow that went on there left its transaction open.
     */
    public Uni<HttpResponse<Buffer>> send(Supplier<Uni<HttpResponse<Buffer>>> request, boolean repeatable) {
        Supplier<Uni<HttpResponse<Buffer>>> once = () -> breaker.get(() -> Uni.createFrom().deferred(request::get)
                .onFailure().transform(e -> new Unreachable(service + " did not answer: " + e.getClass().getSimpleName(), e)), ANSWER);
        Uni<HttpResponse<Buffer>> answer = repeatable ? retries.get(once, ANSWER) : once.get();
        return CallerContext.answerOnCallers(answer.onFailure(e -> !(e instanceof Unreachable)).transform(e -> new Unreachable(
                e instanceof CircuitBreakerOpenException ? service + " is not called for now: most recent calls got no answer"
                        : service + " call failed: " + e.getClass().getSimpleName(), e)));
    }

    public HttpRequest<Buffer> get(String path) {
        return request(HttpMethod.GET, path, timeout);
    }

    /** A call with a timeout of its own (shorter or longer than the usual one). */
    public HttpRequest<Buffer> get(String path, Duration callTimeout) {
        return request(HttpMethod.GET, path, callTimeout);
    }

    public HttpRequest<Buffer> post(String path) {
        return request(HttpMethod.POST, path, timeout);
    }

    /** A call allowed longer than the usual timeout (a batch). */
    public HttpRequest<Buffer> post(String path, Duration callTimeout) {
        return request(HttpMethod.POST, path, callTimeout);
    }

    private HttpRequest<Buffer> request(HttpMethod method, String path, Duration callTimeout) {
        return client.requestAbs(method, baseUrl + path).timeout(callTimeout.toMillis())
                .putHeader(HttpHeaders.AUTHORIZATION, tokens.authorization());
    }

    /** A path segment from a value (an id from a request): encoded, so it stays one segment. */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The answer's {@code data} object; null when there is none. */
    public static JsonObject data(HttpResponse<Buffer> response) {
        JsonObject body = body(response);
        Object data = body.getValue("data");
        return data instanceof JsonObject object ? object : null;
    }

    /** The answer's {@code data} array; null when there is none. */
    public static JsonArray dataArray(HttpResponse<Buffer> response) {
        Object data = body(response).getValue("data");
        return data instanceof JsonArray array ? array : null;
    }

    /** The answer's {@code error} object; empty when there is none or the body is not JSON. */
    public static JsonObject error(HttpResponse<Buffer> response) {
        Object error = body(response).getValue("error");
        return error instanceof JsonObject object ? object : new JsonObject();
    }

    private static JsonObject body(HttpResponse<Buffer> response) {
        try {
            JsonObject body = response.bodyAsJsonObject();
            return body == null ? new JsonObject() : body;
        } catch (RuntimeException e) {
            return new JsonObject();
        }
    }

    public void close() {
        client.close();
    }
}
