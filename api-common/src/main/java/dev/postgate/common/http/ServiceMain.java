package dev.postgate.common.http;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Every service's entry point (the packaged jar's main). Before Quarkus starts it turns off the
 * HTTP server's own check of the request URI ({@link HttpEdge#URI_VALIDATION_PROPERTY}), which
 * answers a URI {@link java.net.URI} cannot parse with a bare 400 before any route runs:
 * {@link HttpEdge} makes the same check as the first route and answers in the envelope with a
 * request id. Without the property the bare 400 stays; nothing else changes.
 */
@QuarkusMain
public final class ServiceMain {
    private ServiceMain() {
    }

    public static void main(String... args) {
        System.setProperty(HttpEdge.URI_VALIDATION_PROPERTY, "true");
        Quarkus.run(args);
    }
}
