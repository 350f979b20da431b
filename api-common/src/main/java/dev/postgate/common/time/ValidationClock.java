package dev.postgate.common.time;

import java.time.Clock;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.validation.ClockProvider;

/** Bean Validation's {@code @Future} and {@code @Past} read the service's one clock ({@link TimeSource}). */
@Singleton
public class ValidationClock implements ClockProvider {
    @Inject
    TimeSource time;

    @Override
    public Clock getClock() {
        return time.clock();
    }
}
