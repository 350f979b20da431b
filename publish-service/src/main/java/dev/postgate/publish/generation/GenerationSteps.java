package dev.postgate.publish.generation;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.postgate.common.api.Ids;
import dev.postgate.common.time.TimeSource;
import dev.postgate.publish.generation.GenerationViews.GenerationView;
import dev.postgate.publish.media.MediaService;
import dev.postgate.publish.media.MediaTypes;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * The database steps of a generation, one statement or transaction each, so that the credit
 * reservation, the provider call and settle or refund always sit between two recorded states.
 * Steps on a generation check its lease token; a step whose claim was taken over changes
 * nothing. The request's steps are single statements ({@link GenerationRepository}); storing a
 * file and the worker's claim are transactions. {@link #holding} is the one step that writes
 * nothing: the reservation it notes is recorded by the next statement.
 */
@ApplicationScoped
public class GenerationSteps {
    @Inject
    TimeSource time;

    @Inject
    GenerationRepository generations;

    @Inject
    MediaService media;

    @Inject
    GenerationConfig config;

    public Uni<Generation> start(String orgId, String workspaceId, String actor, GenerationProvider.Spec spec, long price,
            boolean testMode) {
        Instant now = time.now();
        Generation generation = new Generation();
        generation.id = Ids.newId(Ids.GENERATION);
        generation.orgId = orgId;
        generation.workspaceId = workspaceId;
        generation.kind = spec.kind().wire();
        generation.prompt = spec.prompt();
        generation.style = spec.style();
        if (spec.kind().makesMedia()) {
            generation.width = spec.width();
            generation.height = spec.height();
        }
        generation.generationState(testMode ? GenerationState.GENERATING : GenerationState.RESERVING);
        generation.credits = price;
        generation.testMode = testMode;
        generation.takeLease(now.plus(config.lease()));
        generation.createdBy = actor;
        generation.createdAt = now;
        generation.updatedAt = now;
        return generations.insert(generation).replaceWith(generation);
    }

    /**
     * The workspace could not pay: the generation never happened. One delete of the row this
     * request still owns (Hibernate Reactive's entity delete completed on another event loop under
     * concurrency, HR000069, quarkusio/quarkus#41945, which left the transaction open).
     */
    public Uni<Void> discard(Generation generation) {
        return generations.deleteOwned(generation.id, generation.leaseToken);
    }

    /**
     * The request's generation once its credits are held, not yet recorded: {@link #produced} or
     * {@link #failing} writes the reservation with the output or the failure, and a request that
     * dies before either leaves the row {@code reserving}, which the worker knows how to finish.
     */
    static Generation holding(Generation generation, String reservationId) {
        Generation held = generation.copy();
        held.reservationId = reservationId;
        return held;
    }

    /**
     * Stores what the provider made, then it is settled: a text in one statement; a file becomes
     * media of the workspace in the same transaction as the generation's new state.
     */
    public Uni<Generation> produced(Generation generation, GenerationProvider.Output output) {
        if (output.bytes() == null) {
            return change(generation, owned -> {
                owned.text = output.text();
                afterOutput(owned);
            });
        }
        return producedFile(generation, output);
    }

    @WithTransaction
    Uni<Generation> producedFile(Generation generation, GenerationProvider.Output output) {
        return generations.lockHeld(generation.id, generation.leaseToken).chain(owned -> {
            if (owned == null) {
                return Uni.createFrom().nullItem();
            }
            return media.saveGenerated(owned.orgId, owned.workspaceId, owned.id + "." + MediaTypes.extension(output.contentType()),
                    output.contentType(), output.bytes(), owned.createdBy, owned.testMode).map(saved -> {
                        // The reservation is recorded here, with the output (see holding).
                        owned.reservationId = generation.reservationId;
                        owned.text = output.text();
                        owned.mediaId = saved.id;
                        owned.updatedAt = time.now();
                        afterOutput(owned);
                        return owned;
                    });
        });
    }

    private static void afterOutput(Generation owned) {
        if (owned.reservationId == null) {
            finish(owned, GenerationState.SUCCEEDED);
        } else {
            owned.generationState(GenerationState.SETTLING);
        }
    }

    /** The provider failed: the credits are to be refunded (or, without a reservation, it simply failed). */
    public Uni<Generation> failing(Generation generation, String error) {
        return change(generation, owned -> {
            owned.error = error;
            if (owned.reservationId == null) {
                finish(owned, GenerationState.FAILED);
            } else {
                owned.generationState(GenerationState.REFUNDING);
            }
        });
    }

    /** The reservation ran out before the settle and the credits were reserved again: the generation goes on with the new one. */
    public Uni<Generation> reservedAgain(Generation generation, String reservationId) {
        return change(generation, owned -> owned.reservationId = reservationId);
    }

    /** Settled or refunded: the generation is finished. */
    public Uni<Generation> finished(Generation generation) {
        return change(generation, owned -> {
            if (owned.generationState() == GenerationState.SETTLING) {
                finish(owned, GenerationState.SUCCEEDED);
            } else if (owned.generationState() == GenerationState.REFUNDING) {
                finish(owned, GenerationState.FAILED);
            }
        });
    }

    /** Generations whose request died on the way, taken over by this instance. */
    @WithTransaction
    public Uni<List<Generation>> claimAbandoned(int max) {
        Instant now = time.now();
        return generations.lockAbandoned(now, max).invoke(abandoned -> abandoned.forEach(g -> {
            g.takeLease(now.plus(config.lease()));
        }));
    }

    /**
     * Applies {@code change} to a copy and writes it in one statement if the row is still held
     * under this generation's lease token: the changed generation, or null if the claim was taken over.
     * {@code updated_at} moves only with what the API shows: the bookkeeping after the answer (a
     * settle, a renewed reservation) leaves it as the answer showed it.
     */
    private Uni<Generation> change(Generation generation, java.util.function.Consumer<Generation> change) {
        Generation changed = generation.copy();
        change.accept(changed);
        if (!GenerationView.of(changed).equals(GenerationView.of(generation))) {
            changed.updatedAt = time.now();
        }
        return generations.updateOwned(changed, generation.leaseToken).map(held -> held ? changed : null);
    }

    private static void finish(Generation generation, GenerationState state) {
        generation.generationState(state);
        generation.giveUpLease();
    }
}
