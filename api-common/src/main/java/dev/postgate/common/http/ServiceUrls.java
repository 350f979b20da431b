package dev.postgate.common.http;

import io.smallrye.config.ConfigMapping;

/** Where the other services answer (their own port, never through the proxy: /internal is not routed). */
@ConfigMapping(prefix = "postgate.services")
public interface ServiceUrls {
    String keyService();

    String workspaceService();
}
