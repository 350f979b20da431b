package dev.postgate.common.outbox;

import java.util.ArrayList;
import java.util.List;

import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;

/**
 * What a request that sends its own events ({@link Outbox#sendOwnEvents}) keeps on its Vert.x
 * context: that it does, and the outbox rows it added ({@link Outbox} adds, {@link OutboxRelay}
 * takes them after the commit).
 */
final class OwnEvents {
    private static final String OWN = "postgate.outbox.own";
    private static final String ADDED = "postgate.outbox.added";

    private OwnEvents() {
    }

    static void send() {
        if (VertxContext.isOnDuplicatedContext()) {
            ContextLocals.put(OWN, Boolean.TRUE);
        }
    }

    static boolean sent() {
        return VertxContext.isOnDuplicatedContext() && ContextLocals.<Boolean>get(OWN).orElse(false);
    }

    /** A row added in a request that sends its own events, for its direct send after the commit. */
    static void remember(OutboxEvent row) {
        if (!sent()) {
            return;
        }
        List<OutboxEvent> added = ContextLocals.<List<OutboxEvent>>get(ADDED).orElse(null);
        if (added == null) {
            added = new ArrayList<>();
            ContextLocals.put(ADDED, added);
        }
        added.add(row);
    }

    /**
     * Takes (and forgets) the rows the current request added; empty off a request's context.
     * Only for after the request's transactions committed: a row of a transaction that rolled back
     * would be sent as if it had not.
     */
    static List<OutboxEvent> take() {
        if (!VertxContext.isOnDuplicatedContext()) {
            return List.of();
        }
        List<OutboxEvent> added = ContextLocals.<List<OutboxEvent>>get(ADDED).orElse(List.of());
        ContextLocals.remove(ADDED);
        return added;
    }
}
