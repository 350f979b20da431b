package dev.postgate.it;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An HTTP forwarder in front of a real service that holds the answers to one path for a while
 * after the service gave them: a verification "in flight" for as long as a test needs. It can
 * also lose one answer on the way ({@link #loseNextAnswerTo}): the service did the work, its
 * caller gets a 502, as from a gateway between them.
 */
final class DelayingProxy implements AutoCloseable {
    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final String target;
    private final String delayedPath;
    private volatile Duration delay;
    final AtomicInteger delayedCalls = new AtomicInteger();
    private final AtomicReference<String> loseAnswerTo = new AtomicReference<>();

    DelayingProxy(String target, String delayedPath, Duration delay) throws IOException {
        this.target = target;
        this.delayedPath = delayedPath;
        this.delay = delay;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::forward);
        server.start();
    }

    /** The next answer to {@code path} is forwarded to nobody: the caller gets 502 after the service answered. */
    void loseNextAnswerTo(String path) {
        loseAnswerTo.set(path);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void forward(HttpExchange exchange) throws IOException {
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            for (String header : new String[] { "Authorization", "Content-Type", "Accept" }) {
                String value = exchange.getRequestHeaders().getFirst(header);
                if (value != null) {
                    request.header(header, value);
                }
            }
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (exchange.getRequestURI().getPath().equals(delayedPath)) {
                delayedCalls.incrementAndGet();
                Thread.sleep(delay.toMillis());
            }
            String lose = loseAnswerTo.get();
            if (exchange.getRequestURI().getPath().equals(lose) && loseAnswerTo.compareAndSet(lose, null)) {
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            response.headers().firstValue("Content-Type").ifPresent(t -> exchange.getResponseHeaders().add("Content-Type", t));
            exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(502, -1);
        } catch (IOException e) {
            exchange.sendResponseHeaders(502, -1);
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
