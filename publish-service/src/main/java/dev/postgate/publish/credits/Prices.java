package dev.postgate.publish.credits;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What paid work costs, in credits (SPEC section 5 gives the defaults). */
@ConfigMapping(prefix = "postgate.publish.prices")
public interface Prices {
    /** The defaults, also written into the API document's summaries of the paid operations. */
    String POST_TARGET_DEFAULT = "1";
    String CAPTION_DEFAULT = "1";
    String IMAGE_DEFAULT = "5";
    String VIDEO_DEFAULT = "20";

    /** Publishing a post to one social account. */
    @WithDefault(POST_TARGET_DEFAULT)
    long postTarget();

    /** One generated caption ({@code POST /api/v1/content/generate}). */
    @WithDefault(CAPTION_DEFAULT)
    long caption();

    /** One generated image. */
    @WithDefault(IMAGE_DEFAULT)
    long image();

    /** One generated video (a short animation). */
    @WithDefault(VIDEO_DEFAULT)
    long video();
}
