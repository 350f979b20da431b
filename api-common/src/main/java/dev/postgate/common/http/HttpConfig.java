package dev.postgate.common.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /** Larger limits for the POSTs of some paths (path prefix → bytes), e.g. media uploads; other methods keep {@link #maxBodyBytes()}. */
    Map<String, Long> bodyLimits();

    /**
     * The proxies in front of this service (addresses or CIDR blocks): from one of them, the client
     * address is the right-most {@code X-Forwarded-For} entry that is not a proxy itself; from any
     * other peer the header is ignored. Loopback by default, where the local nginx runs.
     */
    List<String> trustedProxies();

    /**
     * The management paths this service serves (not all of {@code /q}: dev mode's tools there take
     * POST). Like {@link #staticPaths()}, they take GET and HEAD only ({@link AllowedMethods}).
     */
    @WithDefault("/q/health,/q/metrics,/q/openapi")
    List<String> managementPaths();

    /**
     * Path prefixes this service serves from static files, not the REST layer (key-service: the
     * dashboard's files and Swagger UI): a path below one takes GET and HEAD unless an endpoint there
     * says otherwise, so another method is a 405, never a redirect, a 404 or an answer. Every path
     * below a prefix counts as served, as at a static location of nginx: a method other than GET and
     * HEAD on a file that does not exist there is a 405 too.
     */
    Optional<List<String>> staticPaths();
}
