package dev.postgate.keyclient;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How a consuming service verifies, caches, limits and reports API keys. */
@ConfigMapping(prefix = "postgate.key-client")
public interface KeyClientConfig {

    /**
     * With no heartbeat from Kafka on some partition for longer than this (by its record
     * timestamp, or by this instance's clock since it was read), the cache is not trusted: every
     * request is verified with key-service. Announced in every {@code instance.alive}
     * (key-service counts the instance live that long after its last one); at most 60 s, or the
     * service refuses to start ({@code InstancesTopic.MAX_STALENESS_WINDOW}).
     */
    @WithDefault("5s")
    Duration stalenessWindow();

    /**
     * What is cached of workspaces is used only while this instance read a heartbeat of every
     * partition of the workspace topic within this, by its own clock (and the topic is fresh by
     * {@link #stalenessWindow()}); otherwise every check asks workspace-service. SPEC section 6: a
     * deleted workspace is refused everywhere within a second, its event delivered or not.
     */
    @WithDefault("1s")
    Duration workspaceStalenessWindow();

    /** Bound on cached keys (and on cached workspaces). */
    @WithDefault("100000")
    int maxEntries();

    /** A usable key is re-verified after this long even without events (renames, say). */
    @WithDefault("10m")
    Duration ttl();

    /** How long an unknown key (or workspace) is remembered as unknown. */
    @WithDefault("60s")
    Duration unknownTtl();

    /** Timeout of one call to key-service or workspace-service. */
    @WithDefault("2s")
    Duration callTimeout();

    /** A new instance reads events from this long before it started, so nothing after its first verification is missed. */
    @WithDefault("60s")
    Duration eventLookback();

    /** How often last-used times are reported to key-service (UsageReporter's schedule reads this default). */
    @WithDefault("30s")
    Duration usageFlushInterval();

    /**
     * Verifications with key-service in flight at once on this instance (one per distinct key);
     * over it a request that needs one is answered 503 UNAVAILABLE with Retry-After: 1.
     */
    @WithDefault("64")
    int maxVerificationsInFlight();

    RateLimit rateLimit();

    interface RateLimit {
        /** Requests per key per minute, counted per service instance. */
        @WithDefault("600")
        int perMinute();

        /**
         * Verifications per client address per minute that may end "unknown key", counted per
         * service instance; over it 429 RATE_LIMITED (before the 401), with no X-RateLimit-*.
         */
        @WithDefault("300")
        int unknownKeysPerAddress();
    }
}
