package dev.postgate.publish.generation;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Generations: which {@link GenerationProvider} makes live ones (test-mode keys always use the built-in one), and their lease. */
@ConfigMapping(prefix = "postgate.publish.generation")
public interface GenerationConfig {

    String provider();

    /**
     * How long a request's claim on its generation holds; after that the worker refunds or
     * settles what the request left (the worker's own claims hold as long).
     */
    @WithDefault("60s")
    Duration lease();
}
