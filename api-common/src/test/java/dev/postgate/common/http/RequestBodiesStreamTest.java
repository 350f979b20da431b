package dev.postgate.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

/**
 * {@link RequestBodies#stream} on a real Vert.x server: a body abandoned while one of its pieces
 * is still being written (an upload that ran out of time mid-chunk) is not read on once the write
 * completes, so its end never reaches the sink (which would write the rest of a file that was
 * already thrown away).
 */
class RequestBodiesStreamTest {
    private Vertx vertx;
    private HttpServer server;
    private HttpClient client;

    private final AtomicInteger pieces = new AtomicInteger();
    private final AtomicInteger ends = new AtomicInteger();
    private final CountDownLatch firstPiece = new CountDownLatch(1);
    private final CompletableFuture<Void> write = new CompletableFuture<>();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.post("/upload").handler(rc -> {
            rc.request().pause();
            RequestBodies.stream(rc, 1024 * 1024, new RequestBodies.Sink<String>() {
                @Override
                public Uni<Void> piece(Buffer piece) {
                    pieces.incrementAndGet();
                    firstPiece.countDown();
                    return Uni.createFrom().completionStage(write);
                }

                @Override
                public Uni<String> end() {
                    ends.incrementAndGet();
                    return Uni.createFrom().item("read");
                }
            })
                    .ifNoItem().after(Duration.ofMillis(300)).fail()
                    .subscribe().with(done -> rc.response().end(done),
                            e -> rc.response().setStatusCode(408).end("abandoned"));
        });
        server = vertx.createHttpServer().requestHandler(router).listen(0).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        client = vertx.createHttpClient();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aBodyAbandonedWhileAPieceIsWrittenIsNotReadOnAfterTheWrite() throws Exception {
        HttpClientRequest request = client.request(HttpMethod.POST, server.actualPort(), "127.0.0.1", "/upload")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        request.setChunked(true);
        CompletableFuture<Integer> status = request.response().map(response -> response.statusCode())
                .toCompletionStage().toCompletableFuture();
        request.write("first piece");
        assertTrue(firstPiece.await(10, TimeUnit.SECONDS), "the first piece reached the sink");
        // The rest and the end arrive while the first piece is still being written: the request is paused, they wait.
        request.end("the rest");

        assertEquals(408, status.get(10, TimeUnit.SECONDS), "the body was abandoned when its time ran out");
        write.complete(null);
        Thread.sleep(500);

        assertEquals(0, ends.get(), "the end of an abandoned body must not reach the sink");
        assertEquals(1, pieces.get(), "nothing of an abandoned body is read after it was abandoned");
    }

    /**
     * A body's buffer is not set aside for the length it declares before its bytes arrive: at most
     * 16 KiB up front, then it grows. Found by review: a declared 1 MB set aside 1 MB at once.
     */
    @Test
    void aDeclaredLengthSetsAsideAtMostSixteenKibibytesBeforeTheBytesArrive() {
        assertEquals(16 * 1024, RequestBodies.initialCapacity(1024 * 1024, 1024 * 1024));
        assertEquals(16 * 1024, RequestBodies.initialCapacity(11_010_048, 11_010_048));
        assertEquals(300, RequestBodies.initialCapacity(300, 1024 * 1024), "a small body gets what it says");
        assertEquals(1024, RequestBodies.initialCapacity(-1, 1024 * 1024), "chunked: a first kibibyte");
    }
}
