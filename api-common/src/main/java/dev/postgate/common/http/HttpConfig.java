package dev.postgate.common.http;

import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Request body limits, checked before a body is read (413 PAYLOAD_TOO_LARGE in the envelope). */
@ConfigMapping(prefix = "postgate.http")
public interface HttpConfig {

    /** The largest body any request may send, in bytes. */
    @WithDefault("1048576")
    long maxBodyBytes();

    /** Larger limits for some paths (path prefix → bytes), e.g. media uploads. */
    Map<String, Long> bodyLimits();
}
