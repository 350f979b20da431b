package dev.postgate.keys.keys;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What key-service needs to issue and keep keys (the brand, which every service reads, is {@link dev.postgate.common.keys.KeyBrandConfig}). */
@ConfigMapping(prefix = "postgate.keys")
public interface KeysConfig {
    /** The secret mixed into every stored key hash; rotating it invalidates every key. */
    String pepper();

    /** Active keys an organisation may hold (keys in a roll's overlap window do not count). */
    @WithDefault("10")
    int maxActivePerOrg();

    /** Longest overlap a roll may give the old key. */
    @WithDefault("7d")
    Duration maxRollOverlap();

    /** How often the expiry job looks for keys whose expires_at has passed (KeyExpiry's schedule reads this default). */
    @WithDefault("1s")
    Duration expiryCheckInterval();
}
