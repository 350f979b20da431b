package dev.postgate.common.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.postgate.common.auth.ServiceTokens;
import io.vertx.core.http.HttpMethod;
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
 * JWT on every call, a timeout per call, path segments encoded, and the {@code data} and
 * {@code error} of an answer read one way. Each client (key-service's, workspace-service's) keeps
 * only what its endpoints mean.
 */
public final class InternalApi {
    /** The other service gave no usable answer (down, slow, or an unexpected status). */
    public static class Unreachable extends RuntimeException {
        public Unreachable(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private final WebClient client;
    private final String baseUrl;
    private final Duration timeout;
    private final ServiceTokens tokens;

    /** {@code maxPoolSize}: connections kept to the other service (0 for the client's default). */
    public InternalApi(Vertx vertx, String baseUrl, Duration timeout, int maxPoolSize, ServiceTokens tokens) {
        WebClientOptions options = new WebClientOptions().setKeepAlive(true).setConnectTimeout((int) timeout.toMillis());
        if (maxPoolSize > 0) {
            options.setMaxPoolSize(maxPoolSize);
        }
        this.client = WebClient.create(vertx, options);
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.timeout = timeout;
        this.tokens = tokens;
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
                .putHeader("Authorization", tokens.authorization());
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
