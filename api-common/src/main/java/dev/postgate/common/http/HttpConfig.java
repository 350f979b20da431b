package dev.postgate.common.http;

import java.util.List;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Request body limits, checked before a body is read (413 PAYLOAD_TOO_LARGE in the envelope), the
 * proxies whose {@code X-Forwarded-For} names the client address (SPEC section 6), and the paths
 * static handlers serve.
 */
@ConfigMapping(prefix = "postgate.http")
public interface HttpConfig {

    /** The largest body any request may send, in bytes. */
    @WithDefault("1048576")
    long maxBodyBytes();

    /** Larger limits for some paths (path prefix → bytes), e.g. media uploads. */
    Map<String, Long> bodyLimits();

    /**
     * The proxies in front of this service (addresses or CIDR blocks): from one of them, the client
     * address is the right-most {@code X-Forwarded-For} entry that is not a proxy itself; from any
     * other peer the header is ignored. Loopback by default, where the local nginx runs.
     */
    List<String> trustedProxies();

    /**
     * Path prefixes served by static handlers, not the REST layer: a path below one takes GET and HEAD
     * unless an endpoint there says otherwise ({@link AllowedMethods}), so another method is a 405,
     * never a redirect, a 404 or an answer. The management paths by default; key-service adds the
     * dashboard's files and Swagger UI.
     */
    @WithDefault("/q")
    List<String> readOnlyPaths();
}
