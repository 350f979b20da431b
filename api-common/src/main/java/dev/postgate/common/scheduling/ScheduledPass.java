package dev.postgate.common.scheduling;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;

/**
 * How every {@code @Scheduled} pass over the database ends (expiries, sweeps, drains): what it
 * did is followed up only when it did something; a failure is logged as one warning and the pass
 * ends normally, so the scheduler runs it again at its next time instead of reporting a failed
 * execution.
 */
public final class ScheduledPass {
    private ScheduledPass() {
    }

    /** A pass whose result needs nothing done. {@code what} names it in the log, e.g. "Refunding expired reservations". */
    public static Uni<Void> run(Uni<?> pass, Logger log, String what) {
        return pass.onFailure().invoke(e -> log.warnf("%s failed (%s: %s); retrying on the next run", what,
                e.getClass().getSimpleName(), e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** A pass that answers how many rows it dealt with; {@code afterSome} runs only when that is more than 0. */
    public static Uni<Void> counted(Uni<Integer> pass, IntConsumer afterSome, Logger log, String what) {
        return run(pass.invoke(count -> {
            if (count > 0) {
                afterSome.accept(count);
            }
        }), log, what);
    }

    /** A pass that answers what it dealt with; {@code afterSome} runs only when that is not empty. */
    public static <T> Uni<Void> listed(Uni<List<T>> pass, Consumer<List<T>> afterSome, Logger log, String what) {
        return run(pass.invoke(dealtWith -> {
            if (!dealtWith.isEmpty()) {
                afterSome.accept(dealtWith);
            }
        }), log, what);
    }
}
