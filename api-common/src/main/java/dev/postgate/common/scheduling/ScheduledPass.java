package dev.postgate.common.scheduling;

import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;

/**
 * How every {@code @Scheduled} pass over the database ends (expiries, sweeps, drains): what it
 * did goes to {@code done}; a failure is logged as one warning and the pass ends normally, so the
 * scheduler runs it again at its next time instead of reporting a failed execution.
 */
public final class ScheduledPass {
    private ScheduledPass() {
    }

    /** {@code what} names the pass in the log, e.g. "Refunding expired reservations". */
    public static <T> Uni<Void> run(Uni<T> pass, Consumer<T> done, Logger log, String what) {
        return pass.invoke(done)
                .onFailure().invoke(e -> log.warnf("%s failed (%s: %s); retrying on the next run", what,
                        e.getClass().getSimpleName(), e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** A pass whose result needs nothing done. */
    public static Uni<Void> run(Uni<?> pass, Logger log, String what) {
        return run(pass, done -> {
        }, log, what);
    }
}
