package dev.postgate.publish.credits;

import jakarta.validation.constraints.Min;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * What paid work costs, in credits (SPEC section 5 gives the defaults). Each is at least 1: a
 * reservation holds at least one credit, so a price of 0 would fail every paid request (503) and
 * leave due posts publishing for good; the service does not start with one.
 */
@ConfigMapping(prefix = "postgate.publish.prices")
public interface Prices {
    /** The defaults, also written into the API document's summaries of the paid operations. */
    String POST_TARGET_DEFAULT = "1";
    String CAPTION_DEFAULT = "1";
    String IMAGE_DEFAULT = "5";
    String VIDEO_DEFAULT = "20";

    /** Publishing a post to one social account. */
    @WithDefault(POST_TARGET_DEFAULT)
    @Min(1)
    long postTarget();

    /** One generated caption ({@code POST /api/v1/content/generate}). */
    @WithDefault(CAPTION_DEFAULT)
    @Min(1)
    long caption();

    /** One generated image. */
    @WithDefault(IMAGE_DEFAULT)
    @Min(1)
    long image();

    /** One generated video (a short animation). */
    @WithDefault(VIDEO_DEFAULT)
    @Min(1)
    long video();
}
