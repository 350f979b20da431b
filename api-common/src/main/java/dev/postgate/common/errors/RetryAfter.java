package dev.postgate.common.errors;

import java.time.Duration;
import java.util.Map;

/**
 * How long a refused client should wait before it tries again, said one way in the
 * {@code Retry-After} header and in the message: whole seconds, rounded up, at least 1 (a wait
 * under a second would otherwise read "0 seconds" beside a header of 1).
 */
public record RetryAfter(long seconds) {
    /** The header's name (errors sit below http, whose Headers name the other SPEC headers). */
    public static final String HEADER = "Retry-After";

    public RetryAfter {
        seconds = Math.max(1, seconds);
    }

    public static RetryAfter of(Duration wait) {
        return new RetryAfter((wait.toMillis() + 999) / 1000);
    }

    /** "Retry after S seconds", for the message. */
    public String sentence() {
        return "Retry after " + seconds + (seconds == 1 ? " second" : " seconds");
    }

    Map<String, String> header() {
        return Map.of(HEADER, String.valueOf(seconds));
    }
}
