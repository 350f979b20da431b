package dev.postgate.publish.credits;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What paid work costs, in credits (SPEC section 5 gives the defaults). */
@ConfigMapping(prefix = "postgate.publish.prices")
public interface Prices {

    /** Publishing a post to one social account. */
    @WithDefault("1")
    long postTarget();

    /** One generated caption ({@code POST /api/v1/content/generate}). */
    @WithDefault("1")
    long caption();

    /** One generated image. */
    @WithDefault("5")
    long image();

    /** One generated video (a short animation). */
    @WithDefault("20")
    long video();
}
