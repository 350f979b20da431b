package dev.postgate.common.tracing;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Where spans go. */
@ConfigMapping(prefix = "postgate.tracing")
public interface TracingConfig {

    /** The OTLP endpoint spans are exported to ({@code POSTGATE_OTLP_ENDPOINT}); none: nothing is recorded or sent. */
    Optional<String> otlpEndpoint();
}
