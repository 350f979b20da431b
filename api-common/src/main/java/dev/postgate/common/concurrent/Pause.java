package dev.postgate.common.concurrent;

import java.time.Duration;

/** The wait of a thread of our own (a poll loop, the outbox relay) before it tries again after a failure. */
public final class Pause {
    private Pause() {
    }

    /** Waits {@code duration}; an interrupt ends the wait and stays set, so the loop sees it and stops. */
    public static void beforeRetry(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
