package dev.postgate.keyclient;


import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.postgate.common.http.RateLimiter;
import dev.postgate.common.time.TimeSource;

/** The per-key request limit of SPEC section 6 ({@code postgate.key-client.rate-limit.per-minute}). */
@Singleton
public class RateLimiters {

    @Produces
    @Singleton
    RateLimiter perKey(KeyClientConfig config, TimeSource time) {
        return new RateLimiter(config.rateLimit().perMinute(), config.maxEntries(), time.clock());
    }
}
