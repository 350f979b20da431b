package dev.postgate.workspaces.credits;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.postgate.common.concurrent.CallerContext;
import dev.postgate.common.outbox.OutboxRelay;
import dev.postgate.common.time.TimeSource;
import dev.postgate.workspaces.credits.CreditViews.ReservedView;
import dev.postgate.workspaces.credits.ReservationRepository.NewReservation;
import dev.postgate.workspaces.credits.ReservationRepository.ReserveBatch;
import dev.postgate.workspaces.credits.ReservationRepository.Reserved;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

/**
 * Concurrent reserves on one workspace become one statement (issue 13). Every reserve on a
 * workspace row waits for that row's lock, so on a busy workspace the database spends its time
 * handing the lock from one small statement to the next. Here, while a workspace's reserve
 * statement runs, the reserves that arrive for it wait in its queue, and the next statement carries
 * all of them (up to {@link #MAX_BATCH}): one lock, one commit. A reserve that finds its workspace
 * idle goes out at once, alone, so nothing waits when there is no contention. With several
 * instances each has its own queue; the statement is correct however many run at once.
 *
 * <p>Answers come back on the caller's Vert.x context, never on the thread that ran the statement.
 */
@ApplicationScoped
public class ReserveBatches {
    /** The most reserves one statement carries. */
    static final int MAX_BATCH = 256;

    @Inject
    TimeSource time;

    @Inject
    ReservationRepository repository;

    @Inject
    CreditsConfig config;

    @Inject
    OutboxRelay relay;

    @Inject
    MeterRegistry registry;

    private DistributionSummary batchSizes;

    @PostConstruct
    void metrics() {
        batchSizes = DistributionSummary.builder("postgate_credits_reserve_batch")
                .description("Reserves carried by one reserve statement").register(registry);
    }

    /** A queue per workspace with a statement in flight; a workspace without one has no entry. */
    private final ConcurrentHashMap<String, ArrayDeque<Waiting>> inFlight = new ConcurrentHashMap<>();

    private record Waiting(NewReservation reservation, Executor caller, UniEmitter<? super ReservedView> answer) {

        void complete(ReservedView reserved) {
            caller.execute(() -> answer.complete(reserved));
        }

        void fail(Throwable failure) {
            caller.execute(() -> answer.fail(failure));
        }
    }

    /**
     * Reserves {@code reservation} on the workspace: its view, or null when nothing was reserved
     * (the balance cannot pay, the workspace is unknown or deleted, or the idempotency key is taken).
     */
    public Uni<ReservedView> reserve(String workspaceId, NewReservation reservation) {
        return Uni.createFrom().emitter(answer -> {
            Waiting waiting = new Waiting(reservation, CallerContext.capture(), answer);
            boolean[] idle = new boolean[1];
            inFlight.compute(workspaceId, (id, queue) -> {
                if (queue == null) {
                    idle[0] = true;
                    return new ArrayDeque<>();
                }
                queue.add(waiting);
                return queue;
            });
            if (idle[0]) {
                run(workspaceId, List.of(waiting));
            }
        });
    }

    private void run(String workspaceId, List<Waiting> batch) {
        batchSizes.record(batch.size());
        List<NewReservation> items = batch.stream().map(Waiting::reservation).toList();
        ReserveBatch statement = ReserveBatch.at(time.now(), config, workspaceId, items, false);
        Uni<Reserved> reserved = Uni.createFrom().deferred(() -> repository.reserve(statement))
                .onFailure(ReservationRepository::isIdempotencyKeyTaken)
                .recoverWithUni(() -> items.size() == 1 ? Uni.createFrom().item(new Reserved(Map.of(), false)) : oneByOne(statement));
        reserved.subscribe().with(result -> {
            try {
                if (result.lowBalanceEvent()) {
                    relay.wake();
                }
                for (Waiting waiting : batch) {
                    waiting.complete(result.byIdempotencyKey().get(waiting.reservation().idempotencyKey()));
                }
            } finally {
                next(workspaceId);
            }
        }, failure -> {
            try {
                batch.forEach(waiting -> waiting.fail(failure));
            } finally {
                next(workspaceId);
            }
        });
    }

    /** A concurrent reserve took one of the batch's idempotency keys: each item alone, so only that one reserves nothing. */
    private Uni<Reserved> oneByOne(ReserveBatch batch) {
        Map<String, ReservedView> reserved = new HashMap<>();
        boolean[] low = new boolean[1];
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (NewReservation item : batch.items()) {
            chain = chain.chain(() -> repository.reserve(batch.withItems(List.of(item)))
                    .onFailure(ReservationRepository::isIdempotencyKeyTaken).recoverWithItem(() -> new Reserved(Map.of(), false))
                    .invoke(result -> {
                        reserved.putAll(result.byIdempotencyKey());
                        low[0] |= result.lowBalanceEvent();
                    })
                    .replaceWithVoid());
        }
        return chain.map(ignored -> new Reserved(reserved, low[0]));
    }

    /** The statement is done: the next one carries what queued meanwhile, or the workspace is idle again. */
    private void next(String workspaceId) {
        List<Waiting> batch = new ArrayList<>();
        inFlight.compute(workspaceId, (id, queue) -> {
            if (queue == null || queue.isEmpty()) {
                return null;
            }
            Set<String> keys = new HashSet<>();
            for (Iterator<Waiting> it = queue.iterator(); it.hasNext() && batch.size() < MAX_BATCH;) {
                Waiting waiting = it.next();
                // A retry of a reserve already in this batch waits for the next one, which answers it as a replay.
                if (keys.add(waiting.reservation().idempotencyKey())) {
                    batch.add(waiting);
                    it.remove();
                }
            }
            return queue;
        });
        if (!batch.isEmpty()) {
            run(workspaceId, batch);
        }
    }
}
