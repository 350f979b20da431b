package dev.postgate.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An identity provider's authorization endpoint reduced to the OAuth 2 implicit grant on
 * 127.0.0.1: {@code GET /authorize?response_type=token&redirect_uri=…&state=…&nonce=…} signs
 * the visitor in at once and redirects to {@code redirect_uri#access_token=…&state=…} with the
 * token the test chooses for that request.
 */
final class FakeIdentityProvider implements AutoCloseable {
    private final HttpServer server;
    private volatile Function<Map<String, String>, String> tokens = request -> {
        throw new IllegalStateException("no token set for this test");
    };
    private volatile Map<String, String> lastRequest = Map.of();
    private volatile String lastRedirect;

    private FakeIdentityProvider(HttpServer server) {
        this.server = server;
    }

    static FakeIdentityProvider start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            FakeIdentityProvider provider = new FakeIdentityProvider(server);
            server.createContext("/authorize", provider::authorize);
            server.start();
            return provider;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String authorizeUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/authorize";
    }

    /** The access token to hand out, from the parameters of the authorization request. */
    void issue(Function<Map<String, String>, String> tokens) {
        this.tokens = tokens;
        this.lastRequest = Map.of();
        this.lastRedirect = null;
    }

    Map<String, String> lastRequest() {
        return lastRequest;
    }

    /** The whole address the last sign-in was sent back to, token and state included. */
    String lastRedirect() {
        return lastRedirect;
    }

    private void authorize(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> request = query(exchange.getRequestURI().getRawQuery());
            lastRequest = request;
            String redirect = request.get("redirect_uri") + "#access_token=" + encode(tokens.apply(request))
                    + "&token_type=Bearer&expires_in=3600&state=" + encode(request.getOrDefault("state", ""));
            lastRedirect = redirect;
            exchange.getResponseHeaders().add("Location", redirect);
            exchange.getResponseHeaders().add("Cache-Control", "no-store");
            exchange.sendResponseHeaders(302, -1);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return params;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
