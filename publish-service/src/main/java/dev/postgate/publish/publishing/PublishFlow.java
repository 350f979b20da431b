package dev.postgate.publish.publishing;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.postgate.common.concurrent.CallerContext;
import dev.postgate.common.errors.InsufficientCreditsException;
import dev.postgate.common.scheduling.ScheduledPass;
import dev.postgate.common.time.TimeSource;
import dev.postgate.common.workspaces.ReservationStatus;
import dev.postgate.keyclient.Reservation;
import dev.postgate.keyclient.WorkspaceServiceClient;
import dev.postgate.publish.credits.Charge;
import dev.postgate.publish.credits.Prices;
import dev.postgate.publish.posts.Post;
import dev.postgate.publish.publishing.SocialConnector.DeliveryResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

/**
 * Publishing with credits settled only for work done. Per target: reserve one credit (idempotency
 * key {@code <post>:<account>:<attempt>}; a publish holds all its targets' credits in one call), send through the connector (same key, or an earlier
 * attempt's when its calls were given up unanswered: {@link PostTarget#deliveryKey()}), then settle on
 * success or refund on failure. Each step is recorded ({@link PublishSteps}) before the next
 * begins and every outside call is idempotent, so whoever resumes an interrupted target (the
 * same worker, or another instance once the lease runs out) repeats at most the last call and
 * never charges twice or loses a refund. A target is sent only while its credits are held: a
 * reservation that ran out (or was found refunded) is replaced before the platform call.
 */
@ApplicationScoped
public class PublishFlow {
    private static final Logger LOG = Logger.getLogger(PublishFlow.class);

    @Inject
    TimeSource time;

    @Inject
    PublishSteps steps;

    @Inject
    TargetSteps targetSteps;

    @Inject
    WorkspaceServiceClient workspaces;

    @Inject
    Connectors connectors;

    @Inject
    Prices prices;

    @Inject
    WorkerConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    Event<WorkAdded> workAdded;

    /**
     * The workspace cannot pay for every target ({@link WorkspaceServiceClient#cannotPay}): nothing
     * was held. {@code refusal} is workspace-service's answer (402, or 403 for a workspace gone).
     */
    static final class Shortfall extends RuntimeException {
        final long balance;
        final RuntimeException refusal;

        Shortfall(RuntimeException refusal) {
            super("insufficient credits", null, false, false);
            this.refusal = refusal;
            this.balance = refusal instanceof InsufficientCreditsException insufficient ? insufficient.balance() : 0;
        }
    }

    /** Credits held for a claim's targets (target id → reservation) and the balance after the last hold. */
    record Held(Map<String, Reservation> reservations, Long balance) {
    }

    /** A post accepted for publishing and what its credits cost. */
    public record Accepted(Post post, Charge charge) {
    }

    /**
     * A publish (or retry) request after {@link PublishSteps#startPublish}: reserves every
     * target's credit during the request. If the workspace cannot pay for all of them, nothing is
     * held: the post is put back as it was and the answer is 402. If workspace-service gives no
     * answer, or one that cannot be read (503), the post is put back as it was too, attempt count
     * included, so that the 503 means what it says to the client: nothing was done, and the
     * request may be sent again. The next attempt then repeats this one's reservation keys, and
     * gets the very holds the reserve made all the same (after the request stopped waiting, or
     * before its answer was lost on the way); unused, they are refunded when they run out. Only
     * keys workspace-service refused for good ({@link WorkspaceServiceClient.KeyTaken}) are
     * counted, so that the next attempt uses new ones. When a repeat finds holds that are no
     * longer held (the 503 was long ago: they ran out and were refunded), those still held are
     * given back, and the request fails with {@link HoldsRanOut} to start over under new keys.
     * Otherwise the answer does not wait for the holds to be recorded on the targets
     * ({@link #markAfterTheAnswer}), which then wakes the worker.
     */
    public Uni<Accepted> reserveForRequest(PublishClaim claim) {
        long cost = prices.postTarget() * claim.reserving().size();
        return reserveAll(claim)
                .onFailure().recoverWithUni(e -> steps.revert(claim, !(e instanceof WorkspaceServiceClient.KeyTaken))
                        .chain(() -> Uni.createFrom().<Held>failure(refusal(e, cost))))
                .call(held -> ranOut(held) ? giveBackAll(held).chain(() -> steps.revert(claim, false))
                        .chain(() -> Uni.createFrom().failure(new HoldsRanOut())) : Uni.createFrom().voidItem())
                .chain(held -> {
                    if (held.reservations().isEmpty()) {
                        return steps.markReserved(claim.post().id, claim.leaseToken(), held.reservations())
                                .chain(post -> post != null ? Uni.createFrom().item(post) : steps.find(claim.post().id))
                                .invoke(post -> workAdded.fire(new WorkAdded()))
                                .map(post -> new Accepted(post, new Charge(cost, held.balance())));
                    }
                    markAfterTheAnswer(claim, held);
                    return Uni.createFrom().item(new Accepted(claim.post(), new Charge(cost, held.balance())));
                });
    }

    /**
     * The holds a publish request found under its reservation keys were made for an earlier attempt
     * that answered 503, and have run out since: those still held were given back, the
     * attempt stays counted, and the request starts over under new keys, so that it answers 202 on
     * credits held now, or 402 when the workspace cannot pay.
     */
    public static final class HoldsRanOut extends RuntimeException {
        HoldsRanOut() {
            super("the holds under this attempt's keys ran out", null, false, false);
        }
    }

    /**
     * Whether a hold is held no longer: refunded, or past its end and about to be. A new hold never
     * is; one that is only near its end is renewed by the worker before its target is sent.
     */
    private static boolean ranOut(Held held) {
        Instant now = Instant.now();
        return held.reservations().values().stream()
                .anyMatch(r -> !ReservationStatus.RESERVED.wire().equals(r.status()) || !r.expiresAt().isAfter(now));
    }

    private Uni<Void> giveBackAll(Held held) {
        Uni<Void> all = Uni.createFrom().voidItem();
        for (Reservation reservation : held.reservations().values()) {
            if (ReservationStatus.RESERVED.wire().equals(reservation.status())) {
                all = all.chain(() -> giveBack(reservation.id()));
            }
        }
        return all;
    }

    /** The request's answer when its credits were not held: a shortfall is 402 for the whole {@code cost}; anything else as it failed. */
    private static Throwable refusal(Throwable failure, long cost) {
        if (failure instanceof Shortfall shortfall) {
            return shortfall.refusal instanceof InsufficientCreditsException ? new InsufficientCreditsException(cost, shortfall.balance)
                    : shortfall.refusal;
        }
        return failure;
    }

    /**
     * Records the credits held on the targets (which become {@code pending}) and then wakes the
     * worker, without the answer waiting for it: once {@link #reserveAll} has answered the credits
     * are held, and until this statement commits the post's lease stands for the claim. If it
     * never commits (the instance stopped), the worker finishes the claim when the lease runs out
     * ({@link #completeReservation}), reserving again under the same idempotency keys, which
     * returns these very holds. It runs on the request's context.
     */
    private void markAfterTheAnswer(PublishClaim claim, Held held) {
        steps.markReserved(claim.post().id, claim.leaseToken(), held.reservations())
                .subscribe().with(post -> workAdded.fire(new WorkAdded()),
                        e -> LOG.warnf("Post %s: its holds are not recorded yet (the worker does it when the lease runs out): %s",
                                claim.post().id, e.toString()));
    }

    /**
     * Reserves one credit per target, all targets in one call and one statement of
     * workspace-service, all or nothing, each under its own idempotency key (a repeat returns the
     * same reservation, with its status now). When the workspace cannot pay for every target,
     * nothing was reserved and this fails with {@link Shortfall}; after other failures
     * (workspace-service unavailable) whatever was made stays under the same keys, for whoever
     * repeats them: the worker finishing the claim, or the next attempt of a request put back.
     */
    Uni<Held> reserveAll(PublishClaim claim) {
        Post post = claim.post();
        List<PostTarget> targets = claim.reserving();
        if (targets.isEmpty()) {
            return Uni.createFrom().item(new Held(Map.of(), null));
        }
        List<WorkspaceServiceClient.Hold> holds = targets.stream().map(target -> new WorkspaceServiceClient.Hold(prices.postTarget(),
                target.idempotencyKey(), reference(post.id, target.accountId))).toList();
        return workspaces.reserveAll(post.workspaceId, holds)
                .map(reserved -> {
                    Map<String, Reservation> held = new LinkedHashMap<>();
                    for (int i = 0; i < targets.size(); i++) {
                        held.put(targets.get(i).id, reserved.items().get(i));
                    }
                    return new Held(held, reserved.balance());
                })
                .onFailure(WorkspaceServiceClient::cannotPay).transform(e -> new Shortfall((RuntimeException) e));
    }

    /** A target's error when its credits could not be reserved again under its keys ({@link WorkspaceServiceClient.KeyTaken}). */
    public static final String RESERVATION_REFUSED = "reservation_refused";

    /**
     * Finishes a claimed reservation phase in the background (a due scheduled post, or one whose
     * holder vanished): adds missing targets, reserves their credits, and makes them pending; if
     * the workspace cannot pay, the post fails with {@value InsufficientCreditsException#REASON}
     * and nothing stays reserved; if workspace-service refuses the keys for good, its targets fail
     * with {@value #RESERVATION_REFUSED}.
     */
    public Uni<Void> completeReservation(PublishClaim claim) {
        Uni<PublishClaim> ready = claim.needsTargets()
                ? workspaces.accounts(claim.post().workspaceId, claim.accountsWithoutTarget()).chain(accounts -> steps.addTargets(claim, accounts))
                : Uni.createFrom().item(claim);
        return ready.chain(c -> {
            if (c == null || c.leaseToken() == null) {
                return Uni.createFrom().voidItem();
            }
            return reserveAll(c)
                    .chain(held -> steps.markReserved(c.post().id, c.leaseToken(), held.reservations()))
                    .onFailure(Shortfall.class).recoverWithUni(e -> steps.failReserving(c.post().id, c.leaseToken(),
                            InsufficientCreditsException.REASON))
                    // Refused for good (the holds of the interrupted attempt were made at another price): the post fails
                    // and may be retried, under new keys; those holds are refunded when they run out.
                    .onFailure(WorkspaceServiceClient.KeyTaken.class).recoverWithUni(e -> steps.failReserving(c.post().id,
                            c.leaseToken(), RESERVATION_REFUSED))
                    .replaceWithVoid();
        });
    }

    /** Takes one step further with a claimed target, to its end when nothing fails on the way. */
    public Uni<Void> advance(TargetWork work) {
        return switch (work.state()) {
            case SENDING -> deliver(work);
            case SETTLING, REFUNDING -> close(work, work.state());
            default -> Uni.createFrom().voidItem();
        };
    }

    /**
     * Sends the target while its credits are held (issue 13): a reservation that ran out, or runs
     * out within {@link WorkerConfig#reservationMargin()}, is replaced first. A reservation's
     * expiry is workspace-service's wall-clock time, so it is compared with the wall clock, not with
     * this service's {@link TimeSource} (which a test may move).
     */
    private Uni<Void> deliver(TargetWork work) {
        if (work.reservationId() != null && work.reservationExpiresAt() != null
                && !work.reservationExpiresAt().isAfter(Instant.now().plus(config.reservationMargin()))) {
            return reserveAgain(work, MAX_RENEWALS).chain(renewed -> renewed == null ? Uni.createFrom().voidItem() : send(renewed));
        }
        return send(work);
    }

    /**
     * How many reservations one delivery makes at most before it leaves the target for a later
     * pass: a renewal key replayed after a crash can find its reservation closed once, but a
     * reservation that is over as soon as it is made means the clocks disagree, and must not loop.
     */
    static final int MAX_RENEWALS = 3;

    /**
     * Reserves the target's credit again under its next renewal key, records the new reservation,
     * then gives the old one back (if it has not run out already; when that call fails, the
     * old one is refunded when it runs out). When the workspace cannot pay, see
     * {@link #renewPaying}. Null when the target is not to be sent now: the claim was lost, it
     * failed for want of credits, or {@code renewalsLeft} reservations in a row were over as soon
     * as they were made (it is sent on a later pass, under the next renewal key).
     */
    private Uni<TargetWork> reserveAgain(TargetWork work, int renewalsLeft) {
        return renewPaying(work)
                .chain(renewed -> {
                    if (renewed != null && !renewed.reservationExpiresAt().isAfter(Instant.now())) {
                        if (renewalsLeft <= 1) {
                            LOG.warnf("Target %s: every new reservation was over at once (clocks apart?); it is sent on a later pass",
                                    work.targetId());
                            return Uni.createFrom().item((TargetWork) null);
                        }
                        // A renewal key replayed after a crash found its reservation closed: the next one.
                        return reserveAgain(renewed, renewalsLeft - 1);
                    }
                    return Uni.createFrom().item(renewed);
                });
    }

    /**
     * {@link #renew}, then the old reservation given back. When the workspace cannot pay while the
     * old reservation still holds the target's credit (the last one it had, say), that one is given
     * back first and the same renewal key asked once more (the refusal made nothing under it); when
     * it still cannot pay, the target fails unsent. When workspace-service refuses the renewal key
     * for good (it holds a reservation at another price: a renewal made before a crash and a price
     * change), the old one is given back and the target fails with {@value #RESERVATION_REFUSED},
     * as a post's first keys do ({@link #completeReservation}), instead of being refused again on
     * every pass. Null as {@link #renew}, or when it failed.
     */
    private Uni<TargetWork> renewPaying(TargetWork work) {
        boolean oldStillHeld = work.reservationExpiresAt().isAfter(Instant.now());
        return renew(work)
                .call(renewed -> renewed == null ? Uni.createFrom().voidItem() : giveBack(work.reservationId()))
                .onFailure(WorkspaceServiceClient::cannotPay).recoverWithUni(e -> giveBack(work.reservationId())
                        .chain(() -> oldStillHeld ? renew(work) : Uni.createFrom().<TargetWork>failure(e)))
                .onFailure(WorkspaceServiceClient::cannotPay).recoverWithUni(e -> targetSteps.failUnpaid(work).invoke(this::count)
                        .replaceWith((TargetWork) null))
                .onFailure(WorkspaceServiceClient.KeyTaken.class).recoverWithUni(e -> giveBack(work.reservationId())
                        .chain(() -> targetSteps.failUnsent(work, RESERVATION_REFUSED)).invoke(this::count).replaceWith((TargetWork) null));
    }

    /** Refunds a reservation this target no longer uses; any failure leaves it to run out (then it is refunded). */
    private Uni<Void> giveBack(String reservationId) {
        return workspaces.refund(reservationId).replaceWithVoid().onFailure().recoverWithUni(e -> {
            LOG.infof("Reservation %s was not given back now (%s); it is refunded when it runs out", reservationId, e.getMessage());
            return Uni.createFrom().voidItem();
        });
    }

    private static String reference(TargetWork work) {
        return reference(work.postId(), work.account().id());
    }

    /** The ledger's reference of a target's hold, first and renewed alike. */
    private static String reference(String postId, String accountId) {
        return "post " + postId + " to " + accountId;
    }

    /**
     * How long recording a platform's answer may take after the call: a claim is kept before a
     * call unless it outlasts the call's time limit by this much ({@link #claimedForTheCall}).
     */
    static final Duration ANSWER_MARGIN = Duration.ofSeconds(5);

    /**
     * The work with a claim that outlasts the platform call: the call may take up to
     * {@link WorkerConfig#platformTimeLimit()}, and the targets of a batch are sent one after
     * another under the claim of the batch, so a target late in it could otherwise be sent while
     * its lease runs out, and sent again meanwhile by another instance that takes it over. Null
     * if the claim was lost (the target is another worker's now).
     */
    private Uni<TargetWork> claimedForTheCall(TargetWork work) {
        if (work.leaseUntil().isAfter(time.now().plus(config.platformTimeLimit()).plus(ANSWER_MARGIN))) {
            return Uni.createFrom().item(work);
        }
        return targetSteps.keepClaim(work);
    }

    private Uni<Void> send(TargetWork work) {
        return claimedForTheCall(work).chain(claimed -> claimed == null ? Uni.createFrom().voidItem() : call(claimed));
    }

    /** Calls the platform, records its answer and closes the target's credit. */
    private Uni<Void> call(TargetWork work) {
        SocialConnector connector = connectors.forTarget(work.testMode(), work.account().platform());
        SocialConnector.Delivery delivery = new SocialConnector.Delivery(work.deliveryKey(), work.postId(),
                work.workspaceId(), work.account(), work.content(), work.media());
        Duration limit = config.platformTimeLimit();
        // A connector may answer on a thread of its own (its client's), and the time limit fires on a timer's: what
        // follows opens database sessions, so it goes on on the worker's context.
        // A call that does not answer fails like one that could not reach the platform (repeated, then given up).
        return CallerContext.answerOnCallers(connector.publish(delivery).ifNoItem().after(limit).failWith(() -> new Unanswered(limit)))
                .onItemOrFailure().transformToUni((result, e) -> {
                    if (e == null) {
                        return targetSteps.recordDelivery(work, result, connector.name(), false);
                    }
                    if (work.attemptedAt() != null && work.attemptedAt().plus(config.giveUpAfter()).isBefore(time.now())) {
                        // Unanswered: the platform may have posted it, so a retry calls it under the same key.
                        return targetSteps.recordDelivery(work, DeliveryResult.failed(givenUp(work, e)), connector.name(), true);
                    }
                    return Uni.createFrom().failure(e);
                })
                .invoke(this::count)
                .chain(next -> next == TargetState.SETTLING || next == TargetState.REFUNDING ? close(work, next)
                        : Uni.createFrom().voidItem());
    }

    /**
     * The error a target given up shows its workspace: in this service's words. A connector's
     * exception text (the URL it called, maybe with a token in it) goes to the service log only.
     */
    private String givenUp(TargetWork work, Throwable e) {
        LOG.warnf("Target %s of post %s: its platform could not be reached for %s; giving up: %s", work.targetId(), work.postId(),
                config.giveUpAfter(), e.toString());
        Duration after = config.giveUpAfter();
        String time = after.toMinutes() >= 2 ? after.toMinutes() + " minutes" : after.toSeconds() + " s";
        return "The platform could not be reached for " + time + "; giving up" + (e instanceof Unanswered ? " (" + e.getMessage() + ")" : "");
    }

    /** A platform call that did not answer within the time limit (this service's own words). */
    private static final class Unanswered extends TimeoutException {
        Unanswered(Duration limit) {
            super("the platform did not answer within " + limit.toSeconds() + " s");
        }
    }

    /**
     * Settles (published) or refunds (failed) the target's credit, then finishes it; both calls
     * are idempotent. A settle refused because the reservation ran out (the platform call outlasted
     * the margin, or the worker stalled) charges the work done on a new reservation instead.
     */
    private Uni<Void> close(TargetWork work, TargetState state) {
        boolean settle = state == TargetState.SETTLING;
        Uni<Reservation.Outcome> call = settle ? workspaces.settle(work.reservationId()) : workspaces.refund(work.reservationId());
        return call
                .onFailure(WorkspaceServiceClient.ReservationClosed.class).recoverWithUni(e -> {
                    if (settle) {
                        return chargeAgain(work, e.getMessage());
                    }
                    LOG.errorf("Reservation %s of target %s could not be refunded: %s", work.reservationId(), work.targetId(),
                            e.getMessage());
                    return Uni.createFrom().nullItem();
                })
                .chain(() -> targetSteps.finishTarget(work))
                .invoke(this::count)
                .replaceWithVoid();
    }

    /**
     * The target's credit reserved under its next renewal key and recorded on the target; null if
     * the claim was lost. The one way a target gets a new reservation, before sending or after.
     */
    private Uni<TargetWork> renew(TargetWork work) {
        return workspaces.reserve(work.workspaceId(), prices.postTarget(), work.renewalKey(), reference(work))
                .chain(fresh -> targetSteps.reservedAgain(work, fresh));
    }

    /** The target was published but its reservation could not be settled: reserve again and settle that. */
    private Uni<Reservation.Outcome> chargeAgain(TargetWork work, String refusal) {
        LOG.warnf("Reservation %s of published target %s could not be settled (%s); charging a new reservation", work.reservationId(),
                work.targetId(), refusal);
        return renew(work)
                .chain(renewed -> renewed == null ? Uni.createFrom().<Reservation.Outcome>nullItem() : workspaces.settle(renewed.reservationId()))
                .onFailure(WorkspaceServiceClient::cannotPay).recoverWithItem(e -> {
                    LOG.errorf("Target %s of post %s was published, but workspace %s cannot pay for it", work.targetId(), work.postId(),
                            work.workspaceId());
                    return null;
                });
    }

    /** Counts a target that just finished (exported as {@code postgate_publish_targets_total}). */
    private void count(TargetState state) {
        if (state == TargetState.PUBLISHED || state == TargetState.FAILED) {
            registry.counter("postgate_publish_targets_total", "outcome", state.wire()).increment();
        }
    }

    /** One round of background work; returns how many items it handled (so the worker knows to go on). */
    public Uni<Integer> publishDue(int max) {
        return steps.claimDue(max)
                .chain(claims -> ScheduledPass.eachInTurn(claims, this::completeReservation, PublishFlow::describe, LOG, "publish a due post"));
    }

    public Uni<Integer> finishAbandonedReservations(int max) {
        return steps.claimAbandoned(max).chain(claims -> ScheduledPass.eachInTurn(claims, this::completeReservation,
                PublishFlow::describe, LOG, "finish an abandoned reservation"));
    }

    public Uni<Integer> sendTargets(int max) {
        return targetSteps.claimTargets(max)
                .chain(work -> ScheduledPass.eachInTurn(work, this::advance, PublishFlow::describe, LOG, "send a target"));
    }

    private static String describe(Object item) {
        if (item instanceof PublishClaim claim) {
            return "post " + claim.post().id;
        }
        if (item instanceof TargetWork work) {
            return "target " + work.targetId() + " of post " + work.postId();
        }
        return String.valueOf(item);
    }
}
