package dev.postgate.publish.media;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Uploaded and generated media. */
@ConfigMapping(prefix = "postgate.publish.media")
public interface MediaConfig {

    /**
     * The largest file an upload may carry (413 above). Keep
     * {@code postgate.http.body-limits."/api/v1/media"} a little above it (multipart framing),
     * so that a larger request is refused at the edge before it is read.
     */
    @WithDefault("10485760")
    long maxBytes();

    /** Media a post may carry. */
    @WithDefault("10")
    int maxPerPost();
}
