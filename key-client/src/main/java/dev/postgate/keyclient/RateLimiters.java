package dev.postgate.keyclient;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.postgate.common.http.RateLimiter;

/** The per-key request limit of SPEC section 6 ({@code postgate.key-client.rate-limit.per-minute}). */
@Singleton
public class RateLimiters {

    @Produces
    @Singleton
    RateLimiter perKey(KeyClientConfig config) {
        return new RateLimiter(config.rateLimit().perMinute(), config.maxEntries(), Clock.systemUTC());
    }
}
