package dev.postgate.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.MutableClock;

class RateLimiterTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));

    @Test
    void theLimitHoldsPerKeyWithinAMinuteAndResetsAfterIt() {
        RateLimiter limiter = new RateLimiter(3, 100, clock);
        long reset = clock.instant().getEpochSecond() + 60;
        assertEquals(2, limiter.acquire("key_a").remaining());
        assertEquals(1, limiter.acquire("key_a").remaining());
        RateLimiter.Decision third = limiter.acquire("key_a");
        assertTrue(third.allowed());
        assertEquals(0, third.remaining());
        assertEquals(reset, third.resetEpochSeconds());
        RateLimiter.Decision fourth = limiter.acquire("key_a");
        assertFalse(fourth.allowed());
        assertEquals(60, limiter.retryAfter(fourth).seconds());
        assertTrue(limiter.acquire("key_b").allowed(), "another key has its own budget");
        clock.advance(Duration.ofSeconds(60));
        assertTrue(limiter.acquire("key_a").allowed());
    }
}
