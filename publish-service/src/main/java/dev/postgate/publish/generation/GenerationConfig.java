package dev.postgate.publish.generation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Which {@link GenerationProvider} makes live generations; test-mode keys always use the built-in one. */
@ConfigMapping(prefix = "postgate.publish.generation")
public interface GenerationConfig {

    @WithDefault("builtin")
    String provider();
}
