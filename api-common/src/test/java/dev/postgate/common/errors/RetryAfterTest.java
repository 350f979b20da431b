package dev.postgate.common.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** One rule for every Retry-After: whole seconds, rounded up, at least 1, the same in the header and the message. */
class RetryAfterTest {
    @Test
    void aWaitIsRoundedUpToWholeSecondsAndIsAtLeastOne() {
        assertEquals(1, RetryAfter.of(Duration.ofMillis(500)).seconds());
        assertEquals(1, RetryAfter.of(Duration.ZERO).seconds());
        assertEquals(1, RetryAfter.of(Duration.ofSeconds(-5)).seconds());
        assertEquals(2, RetryAfter.of(Duration.ofMillis(1001)).seconds());
        assertEquals(240, RetryAfter.of(Duration.ofSeconds(240)).seconds());
        assertEquals(1, new RetryAfter(0).seconds());
    }

    @Test
    void theHeaderAndTheSentenceSayTheSame() {
        RateLimitedException one = new RateLimitedException(10, RetryAfter.of(Duration.ofMillis(200)));
        assertEquals("1", one.headers().get("Retry-After"));
        assertEquals("This API key made more than 10 requests in a minute on this instance. Retry after 1 second.", one.getMessage());
        ApiException busy = SimpleErrors.unavailable("Busy. " + new RetryAfter(30).sentence() + ".", new RetryAfter(30));
        assertEquals("30", busy.headers().get("Retry-After"));
        assertEquals("Busy. Retry after 30 seconds.", busy.getMessage());
    }
}
