package dev.postgate.workspaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.postgate.common.auth.ServiceTokens;
import dev.postgate.common.client.InternalApi;
import dev.postgate.common.testing.KeyServiceResource;
import dev.postgate.common.testing.LocalPeer;
import dev.postgate.common.testing.PostgateInfra;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;

/**
 * Every internal call goes through InternalApi's SmallRye Fault Tolerance guards (issue 17): a
 * call safe to repeat is tried again after no answer, one that is not is sent once, and a peer
 * that keeps failing is not called at all for a while (circuit breaker). Against a real HTTP
 * server on this machine that answers, or takes requests and never answers.
 */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeyServiceResource.class, scope = TestResourceScope.GLOBAL)
class InternalCallsFaultToleranceTest {
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    /** How long no new request may arrive before the server's count is taken as final. */
    private static final Duration SETTLED = Duration.ofSeconds(1);

    @Inject
    Vertx vertx;

    @Inject
    ServiceTokens tokens;

    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean answering;
    private HttpServer server;
    private InternalApi api;

    @BeforeEach
    void peer() {
        server = LocalPeer.start(exchange -> {
            requests.incrementAndGet();
            try {
                if (!answering) {
                    // Takes the request and does not answer (until the test ends).
                    released.await();
                }
                byte[] body = "{\"data\": {}}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        api = new InternalApi(vertx, "peer", LocalPeer.url(server), TIMEOUT, 4, 1, tokens);
        // One answered call first: the first request of a JVM loads the server's and the client's
        // classes (hundreds of milliseconds here), and a try given up on before the server has
        // read it never reaches the count.
        answering = true;
        api.send(() -> api.get("/internal/v1/x").send(), false).await().atMost(Duration.ofSeconds(10));
        answering = false;
        requests.set(0);
    }

    @AfterEach
    void close() {
        released.countDown();
        api.close();
        server.stop(0);
    }

    @Test
    void aRepeatableCallIsTriedAgainAfterNoAnswerAndAnotherIsSentOnce() throws InterruptedException {
        InternalApi.Unreachable repeated = assertThrows(InternalApi.Unreachable.class,
                () -> api.send(() -> api.post("/internal/v1/x").send(), true).await().atMost(Duration.ofSeconds(5)));
        assertEquals(2, settledRequests(), "one try and one retry: " + repeated.getMessage());

        requests.set(0);
        assertThrows(InternalApi.Unreachable.class,
                () -> api.send(() -> api.post("/internal/v1/x").send(), false).await().atMost(Duration.ofSeconds(5)));
        assertEquals(1, settledRequests());

        answering = true;
        assertEquals(200, api.send(() -> api.get("/internal/v1/x").send(), true).await().atMost(Duration.ofSeconds(5)).statusCode());
    }

    @Test
    void aPeerThatKeepsFailingIsNotCalledUntilTheBreakerTriesAgain() throws InterruptedException {
        for (int i = 0; i < 20; i++) {
            assertThrows(InternalApi.Unreachable.class,
                    () -> api.send(() -> api.get("/internal/v1/x").send(), false).await().atMost(Duration.ofSeconds(5)));
        }
        int sent = settledRequests();
        answering = true;
        InternalApi.Unreachable refused = assertThrows(InternalApi.Unreachable.class,
                () -> api.send(() -> api.get("/internal/v1/x").send(), true).await().atMost(Duration.ofSeconds(5)));
        assertInstanceOf(CircuitBreakerOpenException.class, refused.getCause(), refused::toString);
        assertEquals(sent, settledRequests(), "an open breaker sends nothing");
        assertTrue(refused.getMessage().contains("peer"), refused::getMessage);

        // After the breaker's delay it lets a call through, and a peer that answers again is called as before.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Integer status = null;
        while (status == null && System.nanoTime() < deadline) {
            try {
                status = api.send(() -> api.get("/internal/v1/x").send(), false).await().atMost(Duration.ofSeconds(5)).statusCode();
            } catch (InternalApi.Unreachable stillOpen) {
                Thread.sleep(100);
            }
        }
        assertEquals(200, status);
    }

    /**
     * The server's count once no request has arrived for {@link #SETTLED}: the client gives up on
     * a try after {@link #TIMEOUT}, and on a busy machine the server may only take that request
     * just after, so a count read at once can miss the last try. A peer that never stops being
     * called fails the test after ten seconds instead of holding it.
     */
    private int settledRequests() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int seen;
        int now = requests.get();
        do {
            assertTrue(System.nanoTime() < deadline, "requests still arriving after ten seconds: " + now);
            seen = now;
            Thread.sleep(SETTLED.toMillis());
            now = requests.get();
        } while (now != seen);
        return now;
    }
}
