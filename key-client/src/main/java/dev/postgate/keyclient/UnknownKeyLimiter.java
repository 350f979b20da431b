package dev.postgate.keyclient;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.postgate.common.http.RateLimiter;

/**
 * Verifications that ended "unknown key", per client address per minute on this instance (SPEC
 * section 6): the checksum is public, so anyone can mint well-formed keys, and each new one would
 * cost a verification and a database lookup. Past the limit an address gets 429 before its next
 * verification, with Retry-After and without the per-key X-RateLimit-* headers.
 */
@ApplicationScoped
public class UnknownKeyLimiter {
    private final RateLimiter windows;

    @Inject
    public UnknownKeyLimiter(KeyClientConfig config) {
        this(config.rateLimit().unknownKeysPerAddress(), Clock.systemUTC());
    }

    UnknownKeyLimiter(int perMinute, Clock clock) {
        this.windows = RateLimiter.perAddress(perMinute, clock);
    }

    /** Refuses the address with 429 when it has used up its unknown-key verifications for this minute. */
    public void check(String clientAddress) {
        if (windows.exhausted(clientAddress)) {
            throw windows.refusal(clientAddress, "requests from this address carried API keys that do not exist");
        }
    }

    /** A verification from the address ended "unknown key". */
    public void recordUnknown(String clientAddress) {
        windows.acquire(clientAddress);
    }
}
