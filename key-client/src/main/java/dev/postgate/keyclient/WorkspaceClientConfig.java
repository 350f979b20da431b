package dev.postgate.keyclient;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How a service calls workspace-service's internal API for accounts and credit reservations
 * ({@link WorkspaceServiceClient}); workspace reads for access checks use the key client's
 * {@code call-timeout} and are not retried (a request answers 503 rather than wait).
 */
@ConfigMapping(prefix = "postgate.workspace-client")
public interface WorkspaceClientConfig {

    /** Timeout of one call. */
    @WithDefault("3s")
    Duration timeout();

    /**
     * Extra attempts after a call that got no answer at all (connection refused, timeout), made by
     * SmallRye Fault Tolerance ({@code InternalApi}). Every such call is safe to repeat: reads,
     * reservations (same idempotency key) and settle/refund.
     */
    @WithDefault("1")
    int retries();
}
