package dev.postgate.common.time;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one clock of a service: the time it stamps rows and answers with, to the microsecond (what
 * a PostgreSQL {@code timestamptz} keeps, so a value read back equals the one written). A bean,
 * so that a test can move time (QuarkusMock.installMockForType with a TimeSource over a clock
 * the test moves, such as api-common's test MutableClock). The times a service stores and answers
 * come from here, and so does the clock its limiters, caches and token checks read
 * ({@link #clock()}). The system clock is read directly only where another process's clock is the
 * reference (service tokens that other services check, Kafka record timestamps for look-back) or
 * to measure elapsed time (latencies, freshness, when a background pass last ran or this instance
 * started).
 */
@ApplicationScoped
public class TimeSource {
    private final Clock clock;

    public TimeSource() {
        this(Clock.systemUTC());
    }

    public TimeSource(Clock clock) {
        this.clock = clock;
    }

    /** Now, to the microsecond. */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** A time a request sent, as this service stores times (to the microsecond); null stays null. */
    public static Instant toMicros(Instant at) {
        return at == null ? null : at.truncatedTo(ChronoUnit.MICROS);
    }

    public Clock clock() {
        return clock;
    }
}
