package dev.postgate.publish.publishing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.postgate.common.errors.InsufficientCreditsException;
import dev.postgate.common.time.TimeSource;
import dev.postgate.keyclient.Reservation;
import dev.postgate.publish.lease.Leased;
import dev.postgate.publish.media.Media;
import dev.postgate.publish.media.MediaFile;
import dev.postgate.publish.media.MediaRepository;
import dev.postgate.publish.posts.Post;
import dev.postgate.publish.posts.PostRepository;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * The database steps of sending a post's targets, one transaction each, so that what happens
 * outside (the platform call, settle and refund, a new reservation) always sits between two
 * recorded states: claim, the platform's answer, a reservation made again, the credit closed.
 * Every step first checks this worker's lease token on the target: a step whose claim was taken
 * over (its lease ran out) changes nothing and reports it. The steps of the post before its
 * targets are sent are {@link PublishSteps}.
 */
@ApplicationScoped
public class TargetSteps {
    @Inject
    TimeSource time;

    @Inject
    PostRepository posts;

    @Inject
    PostTargetRepository targets;

    @Inject
    MediaRepository media;

    @Inject
    WorkerConfig config;

    /**
     * Targets with work to do, claimed for this worker until the lease runs out: pending ones
     * start sending; ones an earlier worker left in the middle are resumed where they are.
     */
    @WithTransaction
    public Uni<List<TargetWork>> claimTargets(int max) {
        Instant now = time.now();
        String token = Leased.newToken();
        Instant leaseUntil = now.plus(config.lease());
        return targets.lockWorkable(now, max).chain(claimed -> {
            if (claimed.isEmpty()) {
                return Uni.createFrom().item(List.<TargetWork>of());
            }
            for (PostTarget target : claimed) {
                target.takeLease(token, leaseUntil);
                if (target.targetState() == TargetState.PENDING) {
                    target.targetState(TargetState.SENDING);
                    target.attemptedAt = now;
                }
                target.updatedAt = now;
            }
            Set<String> postIds = claimed.stream().map(t -> t.postId).collect(Collectors.toSet());
            return posts.list("id in ?1", postIds).chain(owners -> {
                Map<String, Post> byId = owners.stream().collect(Collectors.toMap(p -> p.id, Function.identity()));
                Set<String> mediaIds = new LinkedHashSet<>();
                owners.forEach(p -> mediaIds.addAll(p.mediaIdList()));
                Uni<List<Media>> files = mediaIds.isEmpty() ? Uni.createFrom().item(List.of()) : media.list("id in ?1", mediaIds);
                return files.map(found -> {
                    Map<String, MediaFile> fileById = new HashMap<>();
                    found.forEach(m -> fileById.put(m.id, MediaFile.of(m)));
                    List<TargetWork> work = new ArrayList<>();
                    for (PostTarget t : claimed) {
                        Post post = byId.get(t.postId);
                        List<MediaFile> attached = post.mediaIdList().stream().map(fileById::get).filter(f -> f != null).toList();
                        work.add(new TargetWork(t.id, t.postId, post.workspaceId, token, leaseUntil, t.targetState(), post.testMode,
                                new SocialConnector.Account(t.accountId, t.platform, t.accountName), post.content, attached,
                                t.reservationId, t.reservationExpiresAt, t.reservationRenewals, t.idempotencyKey(), t.deliveryKey(), t.attemptedAt));
                    }
                    return work;
                });
            });
        });
    }

    /**
     * Records the platform's answer, or that its calls were given up {@code unanswered} (the
     * call's key is kept for a retry): with a reservation the target goes on to settling or
     * refunding, without one it is finished. Returns the target's state now, or null if the
     * claim was lost.
     */
    @WithTransaction
    public Uni<TargetState> recordDelivery(TargetWork work, SocialConnector.DeliveryResult result, String connector, boolean unanswered) {
        Instant now = time.now();
        return whileSending(work, locked -> {
            PostTarget target = locked.target();
            target.connector = connector;
            target.unansweredDeliveryKey = unanswered ? work.deliveryKey() : null;
            target.externalId = result.published() ? result.externalId() : null;
            target.error = result.published() ? null : result.error();
            target.updatedAt = now;
            if (result.published() && locked.post().publishedAt == null) {
                // The first time any target was published, not when the last one finished.
                locked.post().publishedAt = now;
            }
            if (target.reservationId == null) {
                target.targetState(result.published() ? TargetState.PUBLISHED : TargetState.FAILED);
                target.giveUpLease();
                return finishIfDone(locked.post(), now).replaceWith(target.targetState());
            }
            target.targetState(result.published() ? TargetState.SETTLING : TargetState.REFUNDING);
            target.extendLease(now.plus(config.lease()));
            return Uni.createFrom().item(target.targetState());
        });
    }

    /**
     * Keeps this worker's claim on a target it is about to send for a whole lease from now (the
     * claim was taken with a batch's, and the targets before it took their time). The work with
     * its claim kept, or null if the claim was lost or the target is no longer to be sent.
     */
    @WithTransaction
    public Uni<TargetWork> keepClaim(TargetWork work) {
        Instant until = time.now().plus(config.lease());
        return lockClaimed(work).map(locked -> {
            if (locked == null || locked.target().targetState() != TargetState.SENDING) {
                return null;
            }
            locked.target().extendLease(until);
            return work.claimedUntil(until);
        });
    }

    /**
     * The target's reservation ran out (or is about to) and the credits were reserved again: the
     * target goes on with the new reservation. The work on it, or null if the claim was lost.
     */
    @WithTransaction
    public Uni<TargetWork> reservedAgain(TargetWork work, Reservation reservation) {
        Instant now = time.now();
        return lockClaimed(work).map(locked -> {
            if (locked == null) {
                return null;
            }
            PostTarget target = locked.target();
            target.reservationId = reservation.id();
            target.reservationExpiresAt = reservation.heldUntil();
            target.reservationRenewals = work.reservationRenewals() + 1;
            target.updatedAt = now;
            return work.reservedAgain(target.reservationId, target.reservationExpiresAt);
        });
    }

    /** The target's reservation ran out and the workspace cannot pay for a new one: it fails unsent. */
    public Uni<TargetState> failUnpaid(TargetWork work) {
        return failUnsent(work, InsufficientCreditsException.REASON);
    }

    /**
     * The target's reservation ran out and no new one can be made ({@code reason}, its error): it
     * fails unsent in this call. An earlier call of this attempt may have gone unanswered (a
     * timeout, a crash), so its delivery key is kept for a retry, as after a give-up; for a key
     * the platform never saw that is the same as a new one.
     */
    @WithTransaction
    public Uni<TargetState> failUnsent(TargetWork work, String reason) {
        Instant now = time.now();
        return whileSending(work, locked -> {
            PostTarget target = locked.target();
            target.unansweredDeliveryKey = work.deliveryKey();
            target.targetState(TargetState.FAILED);
            target.reservationId = null;
            target.reservationExpiresAt = null;
            target.error = reason;
            target.giveUpLease();
            target.updatedAt = now;
            return finishIfDone(locked.post(), now).replaceWith(target.targetState());
        });
    }

    /** The credit of a settling or refunding target was settled or refunded: the target is finished. */
    @WithTransaction
    public Uni<TargetState> finishTarget(TargetWork work) {
        Instant now = time.now();
        return lockClaimed(work).chain(locked -> {
            if (locked == null) {
                return Uni.createFrom().nullItem();
            }
            PostTarget target = locked.target();
            switch (target.targetState()) {
                case SETTLING -> target.targetState(TargetState.PUBLISHED);
                case REFUNDING -> target.targetState(TargetState.FAILED);
                default -> {
                    return Uni.createFrom().item(target.targetState());
                }
            }
            target.giveUpLease();
            target.updatedAt = now;
            return finishIfDone(locked.post(), now).replaceWith(target.targetState());
        });
    }

    private record Locked(Post post, PostTarget target) {
    }

    /** Runs {@code step} if this worker's claim on the target holds and it is still sending; else null (claim lost) or its state. */
    private Uni<TargetState> whileSending(TargetWork work, java.util.function.Function<Locked, Uni<TargetState>> step) {
        return lockClaimed(work).chain(locked -> {
            if (locked == null) {
                return Uni.createFrom().nullItem();
            }
            if (locked.target().targetState() != TargetState.SENDING) {
                return Uni.createFrom().item(locked.target().targetState());
            }
            return step.apply(locked);
        });
    }

    /** Locks the post, then the target (always in that order), if this worker's claim on the target still holds. */
    private Uni<Locked> lockClaimed(TargetWork work) {
        return posts.lock(work.postId()).chain(post -> post == null ? Uni.createFrom().nullItem()
                : targets.lockHeld(work.targetId(), work.leaseToken()).map(target -> target == null ? null : new Locked(post, target)));
    }

    private Uni<Void> finishIfDone(Post post, Instant now) {
        return targets.ofPost(post.id).invoke(all -> PublishSteps.finishIfDone(post, all, now)).replaceWithVoid();
    }

}
