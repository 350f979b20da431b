package dev.postgate.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/**
 * A service stand-in on 127.0.0.1 (a free port) answering every path with {@code handler}, on
 * threads of its own so that a handler may hold a request: for tests of how a client takes
 * answers a real peer would rarely give. Stop it with {@code server.stop(0)}.
 */
public final class LocalPeer {
    private LocalPeer() {
    }

    public static HttpServer start(HttpHandler handler) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/", handler);
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The peer's base URL. */
    public static String url(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }
}
