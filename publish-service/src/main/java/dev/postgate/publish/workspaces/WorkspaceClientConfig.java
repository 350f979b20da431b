package dev.postgate.publish.workspaces;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How publish-service calls workspace-service's internal API (accounts and credit reservations). */
@ConfigMapping(prefix = "postgate.publish.workspace-service")
public interface WorkspaceClientConfig {

    /** Timeout of one call. */
    @WithDefault("3s")
    Duration timeout();

    /**
     * Extra attempts after a call that got no answer at all (connection refused, timeout). Every
     * call is safe to repeat: reads, reservations (same idempotency key) and settle/refund.
     */
    @WithDefault("1")
    int retries();
}
