package dev.postgate.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.postgate.common.errors.ApiException;
import dev.postgate.common.testing.LogCapture;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.pgclient.PgException;

/**
 * What a failure that is not an API error answers, and logs, on a real Vert.x server. The log lines of a failure name the request's method and path, never a key in the path (SPEC
 * section 2: a key is never logged), on a real Vert.x server. Found by review: a client that put
 * its secret where a key's id belongs, during a database restart or a bug, had it written to the
 * log in full, percent-encoded or not.
 */
class UnexpectedErrorTest {
    private static final String KEY = "pp_live_sk_0123456789ABCDEFGHIJKLMNOPQRSTUV2zXgei";

    private Vertx vertx;
    private HttpServer server;
    private java.net.http.HttpClient client;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.get("/api/v1/keys/:id").handler(rc -> answer(rc, ErrorMapper.unexpectedError(new IllegalStateException("a bug"), rc)));
        router.get("/api/v1/posts/:id").handler(rc -> answer(rc,
                ErrorMapper.unexpectedError(new ConnectException("Connection refused"), rc)));
        router.get("/api/v1/workspaces/:id").handler(rc -> answer(rc, ErrorMapper.unexpectedError(new CompletionException(
                new PgException("deadlock detected", "ERROR", "40P01", "Process 1 waits for ShareLock on transaction 2")), rc)));
        server = vertx.createHttpServer().requestHandler(router).listen(0).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
    }

    private static void answer(io.vertx.ext.web.RoutingContext rc, ApiException error) {
        rc.response().headers().addAll(error.headers());
        rc.response().setStatusCode(error.status()).end(error.code() + ": " + error.getMessage());
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aKeyInThePathOfAFailedRequestIsNotLogged() throws Exception {
        try (LogCapture log = LogCapture.start()) {
            assertEquals(500, get("/api/v1/keys/" + KEY));
            assertEquals(503, get("/api/v1/posts/" + KEY));
            // Percent-encoded: pp%5Flive%5Fsk%5F… is the same path.
            assertEquals(500, get("/api/v1/keys/" + KEY.replace("_", "%5F")));
            assertEquals(1, log.count("A dependency is unavailable on GET /api/v1/posts/[key redacted]"), log.lines()::toString);
            assertEquals(2, log.count("Unexpected error on GET /api/v1/keys/[key redacted]"), log.lines()::toString);
            assertFalse(log.lines().stream().anyMatch(line -> line.contains("0123456789ABCDEFGHIJKLMNOPQRSTUV")), log.lines()::toString);
            assertTrue(log.lines().size() >= 3);
        }
    }

    /**
     * A statement PostgreSQL gave up for what another transaction did (a deadlock, a serialization
     * failure) or for a timeout was rolled back and can run again: 503 with Retry-After, as a
     * dependency's outage, not 500 "something went wrong on our side". Found by review: two
     * instances' usage reports deadlocked, and the one PostgreSQL aborted was a 500.
     */
    @Test
    void aStatementTheDatabaseGaveUpForNowIsUnavailableForASecond() throws Exception {
        try (LogCapture log = LogCapture.start()) {
            Answer answer = send("/api/v1/workspaces/ws_1");
            assertEquals(503, answer.status());
            assertEquals("1", answer.retryAfter());
            assertTrue(answer.body().startsWith("UNAVAILABLE: "), answer.body());
            assertTrue(answer.body().contains("Retry after 1 second"), answer.body());
            assertEquals(0, log.count("Unexpected error"), log.lines()::toString);
        }
    }

    private record Answer(int status, String retryAfter, String body) {
    }

    private int get(String path) throws Exception {
        return send(path).status();
    }

    /**
     * A GET from the JDK's client, blocking: reading a body with Vert.x's own client from this
     * thread races the response's end (a body asked for after it ended never comes).
     */
    private Answer send(String path) throws Exception {
        java.net.http.HttpResponse<String> response = client.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + server.actualPort() + path)).timeout(java.time.Duration.ofSeconds(10)).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Retry-After").orElse(null), response.body());
    }
}
