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
 * about its own data (when a row was made or changed, expiries, schedules) come from here. The
 * system clock is read directly for elapsed time (rate-limit windows, cache lifetimes, latencies,
 * freshness, outbox lag) and wherever another process's clock is the reference (tokens other
 * services check, reports and events that other services compare with their own clock); the
 * classes that measure elapsed time take a {@link Clock} in a constructor of their own tests.
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

    public Clock clock() {
        return clock;
    }
}
