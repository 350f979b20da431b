package dev.postgate.common.http;

import java.time.Clock;
import java.time.Duration;
import java.util.function.BiConsumer;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.postgate.common.errors.RateLimitedException;
import dev.postgate.common.errors.RetryAfter;

/**
 * A fixed one-minute window per name: per key id (key-client's per-key limit), or per client
 * address (the unknown-key limit of key-client, the leaked-key reports of key-service), counted
 * on this instance only (so N instances allow up to N times the limit; documented as such). The
 * window starts at a name's first request, like GitHub's: {@code X-RateLimit-Reset} is when it ends.
 */
public class RateLimiter {
    /** The window: a minute, from a name's first request in it. */
    private static final long WINDOW_SECONDS = 60;

    private final int limit;
    private final Clock clock;
    private final Cache<String, Window> windows;

    public record Decision(boolean allowed, int limit, int remaining, long resetEpochSeconds) {
        /** Writes the decision's {@code X-RateLimit-Limit}, {@code -Remaining} and {@code -Reset} headers (SPEC section 2). */
        public void headers(BiConsumer<String, String> header) {
            header.accept(Headers.RATE_LIMIT_LIMIT, String.valueOf(limit));
            header.accept(Headers.RATE_LIMIT_REMAINING, String.valueOf(remaining));
            header.accept(Headers.RATE_LIMIT_RESET, String.valueOf(resetEpochSeconds));
        }
    }

    private static final class Window {
        long start;
        int used;
    }

    /** Client addresses a per-address limiter tracks at once. */
    private static final int MAX_ADDRESSES = 100_000;

    /** {@code limit} a minute per client address, for the {@value #MAX_ADDRESSES} most recent addresses. */
    public static RateLimiter perAddress(int limit, Clock clock) {
        return new RateLimiter(limit, MAX_ADDRESSES, clock);
    }

    /** {@code limit} a minute per name, for at most {@code maxKeys} names at once (the least recently used go first). */
    public RateLimiter(int limit, int maxKeys, Clock clock) {
        this.limit = limit;
        this.clock = clock;
        this.windows = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterAccess(Duration.ofMinutes(2)).build();
    }

    /** Whether {@code key} may still be counted in its window, without counting it. */
    public boolean exhausted(String key) {
        Window window = windows.getIfPresent(key);
        if (window == null) {
            return false;
        }
        synchronized (window) {
            return window.used >= limit && clock.instant().getEpochSecond() < window.start + WINDOW_SECONDS;
        }
    }

    /** Until {@code key}'s window ends. */
    public RetryAfter retryAfter(String key) {
        Window window = windows.getIfPresent(key);
        if (window == null) {
            return new RetryAfter(1);
        }
        synchronized (window) {
            return until(window.start + WINDOW_SECONDS);
        }
    }

    /** Until the window of a refused {@code decision} ends. */
    public RetryAfter retryAfter(Decision decision) {
        return until(decision.resetEpochSeconds());
    }

    private RetryAfter until(long windowEnd) {
        return new RetryAfter(windowEnd - clock.instant().getEpochSecond());
    }

    /**
     * 429 RATE_LIMITED for {@code key}, whose window is used up, with its Retry-After:
     * "Too many {@code what} (over N a minute). Retry after S seconds."
     */
    public RateLimitedException refusal(String key, String what) {
        RetryAfter retryAfter = retryAfter(key);
        return new RateLimitedException("Too many " + what + " (over " + limit + " a minute). " + retryAfter.sentence() + ".", retryAfter);
    }

    public Decision acquire(String keyId) {
        long now = clock.instant().getEpochSecond();
        Window window = windows.get(keyId, k -> new Window());
        synchronized (window) {
            if (window.used == 0 || now >= window.start + WINDOW_SECONDS) {
                window.start = now;
                window.used = 0;
            }
            long reset = window.start + WINDOW_SECONDS;
            if (window.used >= limit) {
                return new Decision(false, limit, 0, reset);
            }
            window.used++;
            return new Decision(true, limit, limit - window.used, reset);
        }
    }
}
