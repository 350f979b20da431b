package dev.postgate.publish.worker;

import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.postgate.publish.generation.GenerationFlow;
import dev.postgate.publish.publishing.PublishFlow;
import dev.postgate.publish.publishing.WorkAdded;
import dev.postgate.publish.publishing.WorkerConfig;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The background worker: publishes due scheduled posts, sends pending targets, and finishes
 * whatever a crashed or stuck holder left behind (posts and targets whose lease ran out, and
 * generations). All its state is in the database and every claim uses
 * {@code FOR UPDATE SKIP LOCKED}, so any number of instances can run it: each item is taken
 * by one of them at a time, and a restarted instance simply carries on.
 * <p>
 * It runs every {@code postgate.publish.worker.interval} and at once when a request has
 * committed new work ({@link WorkAdded}); one pass at a time per instance. It sits on top of
 * publish-service's packages: it calls into publishing and generation, nothing calls into it.
 */
@ApplicationScoped
public class PublishWorker {
    private static final Logger LOG = Logger.getLogger(PublishWorker.class);
    /** Rounds of target sending per pass before the pass ends (and, with targets still waiting, another starts). */
    private static final int MAX_ROUNDS = 20;

    @Inject
    PublishFlow flow;

    @Inject
    GenerationFlow generations;

    @Inject
    WorkerConfig config;

    private final AtomicBoolean running = new AtomicBoolean();
    /** Another pass follows this one: it was woken while running, or a kind of work filled its batch. */
    private volatile boolean passAgain;

    @Scheduled(every = "${postgate.publish.worker.interval}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        wake();
    }

    /** A request committed work for the worker: a pass now. */
    void onWorkAdded(@Observes WorkAdded work) {
        wake();
    }

    /** Runs a pass now (or right after the current one). */
    void wake() {
        if (!config.enabled()) {
            return;
        }
        if (!running.compareAndSet(false, true)) {
            passAgain = true;
            return;
        }
        passAgain = false;
        // Off the caller's thread (often an event loop), onto a fresh safe Vert.x context of the
        // pass's own: Hibernate Reactive binds its sessions to one.
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                VertxContextSupport.subscribe(() -> Multi.createFrom().uni(pass()),
                        subscription -> subscription.with(ignored -> {
                        }, failure -> {
                            LOG.warnf("Worker pass failed: %s", failure.toString());
                            done();
                        }, this::done));
            } catch (RuntimeException e) {
                LOG.warnf("Worker pass could not start: %s", e.toString());
                done();
            }
        });
    }

    private void done() {
        running.set(false);
        if (passAgain) {
            wake();
        }
    }

    /**
     * One batch of each kind of work; a kind that filled its batch may have more waiting (scheduled
     * posts due in the same minute, say), so another pass follows at once, until none does.
     */
    Uni<Void> pass() {
        int batch = config.batchSize();
        return flow.publishDue(batch).invoke(taken -> passAgainIfFull(taken, batch))
                .chain(() -> flow.finishAbandonedReservations(batch)).invoke(taken -> passAgainIfFull(taken, batch))
                .chain(() -> sendRounds(batch, 0))
                .chain(() -> generations.finishAbandoned(batch)).invoke(taken -> passAgainIfFull(taken, batch))
                .replaceWithVoid();
    }

    private Uni<Void> sendRounds(int batch, int round) {
        return flow.sendTargets(batch).chain(handled -> {
            if (handled < batch) {
                return Uni.createFrom().voidItem();
            }
            if (round + 1 < MAX_ROUNDS) {
                return sendRounds(batch, round + 1);
            }
            passAgainIfFull(handled, batch);
            return Uni.createFrom().voidItem();
        });
    }

    private void passAgainIfFull(int taken, int batch) {
        if (taken == batch) {
            passAgain = true;
        }
    }
}
