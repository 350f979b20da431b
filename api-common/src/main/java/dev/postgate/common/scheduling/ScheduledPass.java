package dev.postgate.common.scheduling;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
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

    /**
     * Runs {@code step} on each item a pass took, in turn: a failed item is one warning naming it
     * ({@code describe}), and the pass goes on with the next (the item's lease runs out and a later
     * pass takes it again). How many items there were.
     */
    public static <T> Uni<Integer> eachInTurn(List<T> items, Function<T, Uni<Void>> step, Function<? super T, String> describe,
            Logger log, String what) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (T item : items) {
            chain = chain.chain(() -> step.apply(item).onFailure().recoverWithItem(e -> {
                log.warnf("Could not %s (%s); it is retried when its lease runs out: %s", what, describe.apply(item), e.toString());
                return null;
            }));
        }
        return chain.replaceWith(items.size());
    }
}
