package dev.postgate.publish.generation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.postgate.common.auth.Caller;
import dev.postgate.common.concurrent.CallerContext;
import dev.postgate.common.errors.ApiException;
import dev.postgate.common.errors.InsufficientCreditsException;
import dev.postgate.common.errors.NothingReservedException;
import dev.postgate.common.errors.QuotaExceededException;
import dev.postgate.common.errors.SimpleErrors;
import dev.postgate.common.errors.ValidationException;
import dev.postgate.common.errors.ValidationException.FieldError;
import dev.postgate.common.scheduling.ScheduledPass;
import dev.postgate.common.time.TimeSource;
import dev.postgate.common.wire.WireNames;
import dev.postgate.keyclient.Reservation;
import dev.postgate.keyclient.WorkspaceServiceClient;
import dev.postgate.publish.credits.Charge;
import dev.postgate.publish.credits.Prices;
import dev.postgate.publish.generation.GenerationViews.GenerateRequest;
import dev.postgate.publish.media.MediaService;
import dev.postgate.publish.media.MediaTypes;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

/**
 * Paid generation, synchronous: reserve the price (idempotency key = the generation id), call
 * the provider, store the output as media of the workspace, answer, and settle meanwhile
 * ({@link #settleAfterTheAnswer}); a failed generation is
 * refunded and answered with an error (422 for a refused prompt, 503 when the provider is down).
 * Each step is recorded first ({@link GenerationSteps}), so a request that dies on the way is
 * finished by the worker ({@link #finishAbandoned}): what was made is settled, anything else is
 * refunded, never charged twice. The reservation's id is recorded with the output or the failure,
 * not in a statement of its own (issue 13): a generation that died while still {@code reserving}
 * may hold credits, and the worker reserves again under the same key, which returns that
 * reservation if there is one, and refunds it.
 */
@ApplicationScoped
public class GenerationFlow {
    private static final Logger LOG = Logger.getLogger(GenerationFlow.class);
    private static final Pattern SIZE = Pattern.compile("(\\d{1,4})x(\\d{1,4})");

    @Inject
    GenerationSteps steps;

    @Inject
    GenerationProviders providers;

    @Inject
    WorkspaceServiceClient workspaces;

    @Inject
    Prices prices;

    @Inject
    TimeSource time;

    @Inject
    MeterRegistry registry;

    @Inject
    MediaService media;

    /** A generation that succeeded and what it cost. */
    public record Generated(Generation generation, Charge charge) {
    }

    public Uni<Generated> generate(Caller caller, GenerationKind kind, GenerateRequest request) {
        GenerationProvider.Spec spec = spec(kind, request);
        boolean testMode = caller.testMode();
        long price = testMode ? 0 : kind.price(prices);
        if (testMode && kind.makesMedia()) {
            // Free, so bounded like an upload: refused when the workspace's media is at its quota.
            return media.checkRoomForFreeGeneration(caller).chain(() -> generate(caller, kind, spec, price, testMode));
        }
        return generate(caller, kind, spec, price, testMode);
    }

    private Uni<Generated> generate(Caller caller, GenerationKind kind, GenerationProvider.Spec spec, long price, boolean testMode) {
        return steps.start(caller.orgId(), caller.workspaceId(), caller.actor(), spec, price, testMode)
                .chain(generation -> reserve(generation)
                        .chain(held -> run(held.generation(), spec)
                                .map(done -> new Generated(done, new Charge(price, held.balance())))))
                .invoke(() -> count(kind, GenerationState.SUCCEEDED.wire()))
                .onFailure().invoke(e -> count(kind, e instanceof InsufficientCreditsException ? InsufficientCreditsException.REASON : GenerationState.FAILED.wire()));
    }

    private record Held(Generation generation, Long balance) {
    }

    private Uni<Held> reserve(Generation generation) {
        if (generation.testMode) {
            return workspaces.balance(generation.workspaceId).map(b -> new Held(generation, b.orElse(null)));
        }
        // A definite "nothing reserved" leaves nothing for the worker to finish (it would reserve and refund).
        return hold(generation, generation.id)
                .onFailure(e -> e instanceof InsufficientCreditsException || e instanceof NothingReservedException)
                .call(() -> steps.discard(generation))
                .map(r -> new Held(GenerationSteps.holding(generation, r.id()), r.balance()));
    }

    /**
     * Holds the generation's credits under {@code key}. Asked again with the same key (by the worker,
     * after a crash), workspace-service returns the same hold only if the amount and the reference
     * are the same, so they are written here once.
     */
    private Uni<Reservation> hold(Generation generation, String key) {
        return workspaces.reserve(generation.workspaceId, generation.credits, key, "generation " + generation.id);
    }

    /**
     * Calls the provider, for at most {@link #providerTimeLimit}: the request must still hold its
     * claim on the generation when it stores the output. A provider that has not answered by then is
     * unavailable (503, refunded). Should the claim be lost all the same (the database slow to
     * store), the worker has taken the generation over and refunds it: 503 too, never a 500.
     */
    private Uni<Generation> run(Generation generation, GenerationProvider.Spec spec) {
        Duration limit = providerTimeLimit(generation);
        if (limit.isZero()) {
            // The claim ran out while the credits were reserved: no time is left for the provider.
            return refunded(generation, givenUp(generation));
        }
        // A provider may answer on a thread of its own (its client's), and the time limit fires on a timer's: what
        // follows opens database sessions, so it goes on on the request's context.
        return CallerContext.answerOnCallers(providers.forMode(generation.testMode).generate(spec)
                .ifNoItem().after(limit).failWith(() -> new GenerationProvider.Unavailable("it did not answer within "
                        + limit.toMillis() + " ms.")))
                .map(output -> storable(spec.kind(), output))
                .onFailure().recoverWithUni(e -> refunded(generation, e))
                // A test-mode file that does not fit the workspace's quota: 413, the generation failed.
                .chain(output -> steps.produced(generation, output)
                        .onFailure(QuotaExceededException.class).recoverWithUni(e -> refunded(generation, e)))
                .onItem().ifNull().failWith(() -> givenUp(generation))
                .invoke(this::settleAfterTheAnswer);
    }

    /**
     * The provider's answer as it is stored: a file with the type its bytes are (named as the
     * provider named it, in any case and with any parameters). An answer that cannot be stored as
     * this kind's output (no text for a caption; for an image or a video, no bytes, or bytes that
     * are not the accepted type it names) is the provider failing: 503, refunded.
     */
    private static GenerationProvider.Output storable(GenerationKind kind, GenerationProvider.Output output) {
        if (output != null && !kind.makesMedia() && output.text() != null && output.bytes() == null) {
            return output;
        }
        String detected = output == null || output.bytes() == null ? null : MediaTypes.detect(output.bytes());
        if (kind.makesMedia() && detected != null && detected.equals(MediaTypes.normalise(output.contentType()))) {
            return GenerationProvider.Output.file(output.bytes(), detected);
        }
        throw new GenerationProvider.Unavailable("its answer cannot be stored as the " + kind.wire() + " asked for.");
    }

    /** The answer when the request's claim on the generation ran out before it was done: 503, refunded. */
    private static RuntimeException givenUp(Generation generation) {
        return SimpleErrors.unavailable("The generation took longer than this request may hold it, so it was given up."
                + (generation.testMode ? "" : " Its credits are refunded: nothing was charged."));
    }

    /**
     * Three quarters of what is left of the request's claim on the generation (taken for
     * {@link GenerationConfig#lease()} before its credits were reserved), leaving the rest to store
     * the output.
     */
    private Duration providerTimeLimit(Generation generation) {
        Duration left = Duration.between(time.now(), generation.leaseUntil);
        return left.isNegative() ? Duration.ZERO : left.multipliedBy(3).dividedBy(4);
    }

    /**
     * Settles a generation whose output is recorded ({@code settling}), without the answer waiting
     * for it: the output exists and its hold pays for it, so the settle is bookkeeping that cannot
     * change what the caller is told (the balance already excludes the hold, and a settling
     * generation reads as succeeded). It runs on the request's context; if it does not happen
     * (workspace-service down, the instance stopped), the worker settles the generation once its
     * lease runs out ({@link #finishAbandoned}), so it is charged exactly once either way.
     */
    private void settleAfterTheAnswer(Generation produced) {
        if (produced.reservationId == null || produced.generationState() != GenerationState.SETTLING) {
            return;
        }
        settle(produced)
                .subscribe().with(finished -> {
                }, e -> LOG.warnf("Generation %s could not be settled yet (the worker will): %s", produced.id, e.toString()));
    }

    /** Gives the credits back after a failed generation, then fails with what the caller should see. */
    private <T> Uni<T> refunded(Generation generation, Throwable cause) {
        RuntimeException answer = cause instanceof GenerationProvider.Rejected rejected
                ? ValidationException.invalid("prompt", "The generation provider refused the prompt: " + rejected.getMessage()
                        + (generation.testMode ? "" : " Nothing was charged."))
                : cause instanceof GenerationProvider.Unavailable unavailable
                        ? SimpleErrors.unavailable("The generation provider is unavailable: " + unavailable.getMessage()
                                + (generation.testMode ? "" : " Nothing was charged."))
                        : cause instanceof ApiException api ? api : failedUnexpectedly(generation, cause);
        return steps.failing(generation, cause.getMessage())
                .chain(this::refund)
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("Generation %s is not refunded yet (the worker will): %s", generation.id, e.toString());
                    return null;
                })
                .chain(() -> Uni.createFrom().<T>failure(answer));
    }

    /**
     * A provider failure that is neither a refusal nor "unavailable" (a fault its client let
     * through): logged by its type, answered 503 without its text, which is the provider's own.
     */
    private static RuntimeException failedUnexpectedly(Generation generation, Throwable cause) {
        LOG.warnf("Generation %s: the provider failed unexpectedly (%s); refunded and answered 503", generation.id,
                cause.getClass().getName());
        return SimpleErrors.unavailable("The generation provider failed." + (generation.testMode ? "" : " Nothing was charged."));
    }

    /** Exported as {@code postgate_generations_total{kind, outcome}}. */
    private void count(GenerationKind kind, String outcome) {
        registry.counter("postgate_generations_total", "kind", kind.wire(), "outcome", outcome).increment();
    }

    /** Finishes generations whose request died: settles what was made, refunds the rest. */
    public Uni<Integer> finishAbandoned(int max) {
        return steps.claimAbandoned(max).chain(abandoned -> ScheduledPass.eachInTurn(abandoned, this::finish,
                generation -> "generation " + generation.id, LOG, "finish a generation"));
    }

    private Uni<Void> finish(Generation generation) {
        String interrupted = "The generation was interrupted; its credits were refunded.";
        return switch (generation.generationState()) {
            case RESERVING -> generation.testMode
                    ? steps.failing(generation, interrupted).replaceWithVoid()
                    // Whether the hold was made is unknown: the same key returns it if it was, then it is given back.
                    : hold(generation, generation.id)
                            .chain(r -> steps.failing(GenerationSteps.holding(generation, r.id()), interrupted))
                            .chain(this::refund)
                            .onFailure(WorkspaceServiceClient::cannotPay)
                            .recoverWithUni(() -> steps.failing(generation, interrupted).replaceWithVoid());
            case GENERATING -> steps.failing(generation, interrupted).chain(this::refund);
            case SETTLING -> settle(generation);
            case REFUNDING -> refund(generation);
            case SUCCEEDED, FAILED -> Uni.createFrom().voidItem();
        };
    }

    /**
     * Charges a generation's hold and finishes it: the one way, whether right after the answer or
     * by the worker. A settle refused because the reservation ran out (and was refunded) charges
     * the output made on a new reservation, as a published target's is (PublishFlow).
     */
    private Uni<Void> settle(Generation generation) {
        return workspaces.settle(generation.reservationId)
                .replaceWith(generation)
                .onFailure(WorkspaceServiceClient.ReservationClosed.class).recoverWithUni(e -> chargeAgain(generation, e.getMessage()))
                .chain(charged -> charged == null ? Uni.createFrom().voidItem() : steps.finished(charged).replaceWithVoid());
    }

    /**
     * The generation's output exists but its reservation could not be settled: reserve again (a key
     * per reservation replaced, so a retry returns the same one) and settle that. The generation
     * on its new reservation, or the generation as it was when the workspace cannot pay (it is
     * finished unpaid, and logged); null when the claim was taken over.
     */
    private Uni<Generation> chargeAgain(Generation generation, String refusal) {
        LOG.warnf("Reservation %s of generation %s could not be settled (%s); charging a new reservation", generation.reservationId,
                generation.id, refusal);
        return hold(generation, generation.id + ":renewal:" + generation.reservationId)
                .chain(fresh -> steps.reservedAgain(generation, fresh.id()))
                .call(renewed -> renewed == null ? Uni.createFrom().voidItem() : workspaces.settle(renewed.reservationId))
                .onFailure(WorkspaceServiceClient::cannotPay).recoverWithItem(e -> {
                    LOG.errorf("Generation %s was made, but workspace %s cannot pay for it", generation.id, generation.workspaceId);
                    return generation;
                });
    }

    /** Gives a failed generation's hold back and finishes it; as {@link #settle}, a closed reservation is done. */
    private Uni<Void> refund(Generation generation) {
        if (generation == null || generation.reservationId == null) {
            return Uni.createFrom().voidItem();
        }
        return workspaces.refund(generation.reservationId)
                .onFailure(WorkspaceServiceClient.ReservationClosed.class).recoverWithItem((Reservation.Outcome) null)
                .chain(() -> steps.finished(generation)).replaceWithVoid();
    }

    /** Checks a generate request's style and size for its kind (422 naming each bad field) and fills in defaults. */
    static GenerationProvider.Spec spec(GenerationKind kind, GenerateRequest request) {
        List<FieldError> errors = new ArrayList<>();
        String prompt = request.prompt();
        String style = request.style() == null ? kind.defaultStyle() : request.style();
        if (!kind.styles().contains(style)) {
            errors.add(new FieldError("style", "style is " + WireNames.alternatives(kind.styles()) + " for " + kind.wire() + "s."));
        }
        int width = 0;
        int height = 0;
        if (kind == GenerationKind.CAPTION) {
            if (request.size() != null) {
                errors.add(new FieldError("size", "size applies to images and videos, not captions."));
            }
        } else {
            int max = kind.maxSide();
            String size = request.size() == null ? kind.defaultSize() : request.size();
            Matcher m = SIZE.matcher(size);
            if (m.matches()) {
                width = Integer.parseInt(m.group(1));
                height = Integer.parseInt(m.group(2));
            }
            if (!m.matches() || width < 64 || height < 64 || width > max || height > max) {
                errors.add(new FieldError("size", "size must be WIDTHxHEIGHT with each side from 64 to " + max + ", e.g. "
                        + kind.defaultSize() + "."));
            }
        }
        if (!errors.isEmpty()) {
            throw ValidationException.invalid(errors);
        }
        return new GenerationProvider.Spec(kind, prompt, style, width, height);
    }
}
