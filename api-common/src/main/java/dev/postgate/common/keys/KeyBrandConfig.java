package dev.postgate.common.keys;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The key brand of this deployment ({@code pp} gives {@code pp_live_sk_…}). */
@ConfigMapping(prefix = "postgate.keys")
public interface KeyBrandConfig {
    @WithDefault("pp")
    String brand();
}
