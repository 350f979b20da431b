package dev.postgate.common.http;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the other services answer (their own port, never through the proxy: /internal is not routed). */
@ConfigMapping(prefix = "postgate.services")
public interface ServiceUrls {
    @WithDefault("http://127.0.0.1:8081")
    String keyService();

    @WithDefault("http://127.0.0.1:8082")
    String workspaceService();
}
