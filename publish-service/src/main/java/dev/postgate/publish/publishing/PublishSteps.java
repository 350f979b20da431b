package dev.postgate.publish.publishing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.postgate.common.api.Ids;
import dev.postgate.common.errors.ConflictException;
import dev.postgate.common.errors.InsufficientCreditsException;
import dev.postgate.common.errors.PgStates;
import dev.postgate.common.time.TimeSource;
import dev.postgate.keyclient.Reservation;
import dev.postgate.keyclient.SocialAccount;
import dev.postgate.publish.lease.Leased;
import dev.postgate.publish.posts.Post;
import dev.postgate.publish.posts.PostRepository;
import dev.postgate.publish.posts.PostService;
import dev.postgate.publish.posts.PostStatus;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * The database steps of publishing a post, one transaction each, so that what happens outside
 * (credit reservations) always sits between two recorded states: a publish or retry request
 * starting, its credits held or refused, due and abandoned posts claimed by the worker. The
 * steps of each target after that are {@link TargetSteps}. Every step on a claimed post first
 * checks the claim's lease token: a step whose claim was taken over (its lease ran out) changes
 * nothing and reports it.
 */
@ApplicationScoped
public class PublishSteps {
    public static final String ACCOUNT_UNAVAILABLE = "account_unavailable";
    public static final String ALL_TARGETS_FAILED = "all_targets_failed";

    @Inject
    TimeSource time;

    @Inject
    PostRepository posts;

    @Inject
    PostTargetRepository targets;

    @Inject
    WorkerConfig config;

    /**
     * A publish-now request: the post becomes {@code publishing} with one target per account,
     * waiting for credits (or ready to send in test mode, which reserves nothing). One statement
     * ({@link PostTargetRepository#START}) when the post's status allows it and its accounts are
     * still {@code accounts}; otherwise (or when targets of an earlier attempt are left) the
     * locked transaction below says why not, or does it.
     */
    public Uni<PublishClaim> startPublish(String orgId, String workspaceId, String postId, List<SocialAccount> accounts,
            boolean testMode) {
        Instant now = time.now();
        List<PostTarget> created = new ArrayList<>();
        for (int i = 0; i < accounts.size(); i++) {
            PostTarget target = newTarget(postId, i, accounts.get(i), TargetState.RESERVING, 0, now);
            created.add(target);
        }
        String[] accountIds = accounts.stream().map(SocialAccount::id).toArray(String[]::new);
        return targets.start(orgId, workspaceId, postId, testMode, now, Leased.newToken(), now.plus(config.lease()),
                accountIds, created)
                .chain(started -> {
                    if (started == null) {
                        return Uni.createFrom().failure(PostService.notFound(postId));
                    }
                    if (!started.started()) {
                        return startPublishLocked(orgId, workspaceId, postId, accounts, testMode);
                    }
                    Post post = started.post();
                    for (PostTarget target : created) {
                        target.attempt = post.publishAttempts;
                        target.targetState(post.testMode ? TargetState.PENDING : TargetState.RESERVING);
                    }
                    return Uni.createFrom().item(new Attempt(post, post.leaseToken, started.before()).claim(created));
                })
                .onFailure(PublishSteps::leftTargets).recoverWithUni(() -> startPublishLocked(orgId, workspaceId, postId, accounts, testMode));
    }

    /** {@link #startPublish} failed on the unique (post, account) of targets an earlier attempt left. */
    private static boolean leftTargets(Throwable failure) {
        return PgStates.isUniqueViolation(failure);
    }

    @WithTransaction
    Uni<PublishClaim> startPublishLocked(String orgId, String workspaceId, String postId, List<SocialAccount> accounts,
            boolean testMode) {
        Instant now = time.now();
        Map<String, SocialAccount> byId = byId(accounts);
        return lockPost(orgId, workspaceId, postId, PostStatus::checkPublish)
                .chain(post -> {
                    List<String> ids = post.accountIdList();
                    requireAccounts(byId, ids);
                    Attempt attempt = begin(post, testMode, now);
                    post.scheduledAt = null;
                    List<PostTarget> created = new ArrayList<>();
                    for (int i = 0; i < ids.size(); i++) {
                        created.add(newTarget(post, i, byId.get(ids.get(i)), post.testMode ? TargetState.PENDING : TargetState.RESERVING, now));
                    }
                    return targets.deleteOfPost(post.id)
                            .chain(() -> targets.persist(created))
                            .replaceWith(attempt.claim(created));
                });
    }

    /**
     * A retry request: the failed targets of the post whose accounts are among {@code accounts}
     * (connected, read before the lock) are published again, in a new attempt; 409 when there are none.
     */
    @WithTransaction
    public Uni<PublishClaim> startRetry(String orgId, String workspaceId, String postId, List<SocialAccount> accounts,
            boolean testMode) {
        Instant now = time.now();
        Map<String, SocialAccount> byId = byId(accounts);
        return lockPost(orgId, workspaceId, postId, PostStatus::checkRetry)
                .chain(post -> targets.ofPost(post.id).map(all -> {
                    List<PostTarget> failed = all.stream()
                            .filter(t -> t.targetState() == TargetState.FAILED && byId.containsKey(t.accountId)).toList();
                    if (failed.isEmpty()) {
                        throw new ConflictException("No failed target of this post can be sent again: their social accounts are"
                                + " no longer connected to the workspace.");
                    }
                    Attempt attempt = begin(post, testMode, now);
                    for (PostTarget target : failed) {
                        SocialAccount account = byId.get(target.accountId);
                        target.platform = account.platform();
                        target.accountName = account.name();
                        target.attempt = post.publishAttempts;
                        target.reservationId = null;
                        target.reservationExpiresAt = null;
                        target.reservationRenewals = 0;
                        target.targetState(post.testMode ? TargetState.PENDING : TargetState.RESERVING);
                        if (post.testMode) {
                            target.error = null;
                        }
                        target.updatedAt = now;
                    }
                    return attempt.claim(failed);
                }));
    }

    /**
     * The caller's post, locked for this transaction (404 when it is not in the workspace), once
     * its status allows the request ({@code allowed} throws the 409 otherwise).
     */
    private Uni<Post> lockPost(String orgId, String workspaceId, String postId, Consumer<PostStatus> allowed) {
        return posts.lockInWorkspace(orgId, workspaceId, postId)
                .onItem().ifNull().failWith(() -> PostService.notFound(postId))
                .invoke(post -> allowed.accept(post.postStatus()));
    }

    private static Map<String, SocialAccount> byId(List<SocialAccount> accounts) {
        return accounts.stream().collect(Collectors.toMap(SocialAccount::id, Function.identity()));
    }

    /** 409 when an account the attempt needs is no longer among the workspace's accounts read before the lock. */
    private static void requireAccounts(Map<String, SocialAccount> byId, List<String> needed) {
        if (!byId.keySet().containsAll(needed)) {
            throw new ConflictException("The post's accounts changed while it was being published; try again.");
        }
    }

    /** A new attempt begun on a post: its reservation lease token (null in test mode) and what the post was before. */
    private record Attempt(Post post, String leaseToken, PublishClaim.Before before) {
        PublishClaim claim(List<PostTarget> toReserve) {
            return new PublishClaim(post, leaseToken, post.testMode ? List.of() : toReserve, List.of(), before);
        }
    }

    /** Moves the post to publishing in a new attempt, keeping what it was before. */
    private Attempt begin(Post post, boolean testMode, Instant now) {
        PublishClaim.Before before = new PublishClaim.Before(post.postStatus(), post.failureReason, post.scheduledAt, post.updatedAt);
        post.checkMode(testMode);
        post.beginAttempt(now);
        if (post.testMode) {
            post.giveUpLease();
        } else {
            post.takeLease(now.plus(config.lease()));
        }
        return new Attempt(post, post.leaseToken, before);
    }

    private static PostTarget newTarget(Post post, int position, SocialAccount account, TargetState state, Instant now) {
        return newTarget(post.id, position, account, state, post.publishAttempts, now);
    }

    private static PostTarget newTarget(String postId, int position, SocialAccount account, TargetState state, int attempt,
            Instant now) {
        PostTarget target = new PostTarget();
        target.id = Ids.newId(Ids.POST_TARGET);
        target.postId = postId;
        target.accountId = account.id();
        target.position = position;
        target.platform = account.platform();
        target.accountName = account.name();
        target.targetState(state);
        target.attempt = attempt;
        target.createdAt = now;
        target.updatedAt = now;
        return target;
    }

    /**
     * Credits are held for every reserving target: they become pending (ready to send). Null if
     * the claim was lost. One statement ({@link PostTargetRepository#MARK_RESERVED}) when there
     * are reservations: pending targets leave the post publishing, so it cannot finish here.
     */
    public Uni<Post> markReserved(String postId, String leaseToken, Map<String, Reservation> reservations) {
        if (leaseToken == null || reservations.isEmpty()) {
            return markReservedLocked(postId, leaseToken, reservations);
        }
        return targets.markReserved(postId, leaseToken, time.now(), reservations)
                .chain(post -> post != null ? Uni.createFrom().item(post) : markReservedLocked(postId, leaseToken, reservations));
    }

    @WithTransaction
    Uni<Post> markReservedLocked(String postId, String leaseToken, Map<String, Reservation> reservations) {
        Instant now = time.now();
        return endReserving(postId, leaseToken, now, target -> {
            Reservation reservation = reservations.get(target.id);
            target.reservationId = reservation.id();
            target.reservationExpiresAt = reservation.heldUntil();
            target.targetState(TargetState.PENDING);
            target.error = null;
            target.externalId = null;
        });
    }

    /**
     * A publish request whose credits were not held (the workspace cannot pay, workspace-service
     * gave no answer or one that could not be read): the post is put back as it was. With
     * {@code repeatKeys} (holds may have been made, or nothing is held under the keys) its count of
     * attempts is too, so that the next attempt repeats this one's reservation keys and finds those
     * holds; otherwise (keys refused for good, or holds that ran out) the attempt stays counted and
     * the next one uses new keys. Null if the claim was lost.
     */
    @WithTransaction
    public Uni<Post> revert(PublishClaim claim, boolean repeatKeys) {
        PublishClaim.Before before = claim.before();
        return posts.lockHeld(claim.post().id, claim.leaseToken()).chain(post -> {
            if (post == null) {
                return Uni.createFrom().nullItem();
            }
            Uni<Void> targetsBack = before.status() == PostStatus.FAILED || before.status() == PostStatus.PARTIALLY_FAILED
                    ? targets.ofPost(post.id).invoke(all -> all.stream()
                            .filter(t -> t.targetState() == TargetState.RESERVING)
                            .forEach(t -> {
                                t.targetState(TargetState.FAILED);
                                t.reservationId = null;
                                t.reservationExpiresAt = null;
                            })).replaceWithVoid()
                    : targets.deleteOfPost(post.id).replaceWithVoid();
            return targetsBack.map(v -> {
                post.postStatus(before.status());
                post.failureReason = before.failureReason();
                post.scheduledAt = before.scheduledAt();
                post.updatedAt = before.updatedAt();
                if (repeatKeys) {
                    post.publishAttempts--;
                }
                post.giveUpLease();
                return post;
            });
        });
    }

    /** The workspace could not pay when the worker published: the waiting targets fail (nothing stays reserved). */
    @WithTransaction
    public Uni<Post> failReserving(String postId, String leaseToken, String error) {
        Instant now = time.now();
        return endReserving(postId, leaseToken, now, target -> {
            target.targetState(TargetState.FAILED);
            target.reservationId = null;
            target.reservationExpiresAt = null;
            target.error = error;
            target.attemptedAt = now;
        });
    }

    /**
     * The end of a worker's reservation step, under the post's lock and only while {@code leaseToken}
     * is still the post's lease (else null): {@code outcome} applied to every target still reserving,
     * the lease given up, and the post finished if every target now is.
     */
    private Uni<Post> endReserving(String postId, String leaseToken, Instant now, Consumer<PostTarget> outcome) {
        return posts.lockHeld(postId, leaseToken).chain(post -> {
            if (post == null) {
                return Uni.createFrom().nullItem();
            }
            return targets.ofPost(postId).map(all -> {
                for (PostTarget target : all) {
                    if (target.targetState() == TargetState.RESERVING) {
                        outcome.accept(target);
                        target.updatedAt = now;
                    }
                }
                post.giveUpLease();
                post.updatedAt = now;
                finishIfDone(post, all, now);
                return post;
            });
        });
    }

    /** Due scheduled posts, taken by this instance: each becomes publishing in a new attempt, targets to follow. */
    @WithTransaction
    public Uni<List<PublishClaim>> claimDue(int max) {
        Instant now = time.now();
        return posts.lockDue(now, max).map(due -> {
            List<PublishClaim> claims = new ArrayList<>();
            for (Post post : due) {
                post.beginAttempt(now);
                post.takeLease(now.plus(config.lease()));
                claims.add(new PublishClaim(post, post.leaseToken, List.of(), post.accountIdList(), null));
            }
            return claims;
        });
    }

    /** Posts whose reservation phase was left unfinished (a crash, workspace-service down), taken over by this instance. */
    @WithTransaction
    public Uni<List<PublishClaim>> claimAbandoned(int max) {
        Instant now = time.now();
        return posts.lockAbandonedReservations(now, max).chain(abandoned -> {
            Uni<List<PublishClaim>> claims = Uni.createFrom().item(new ArrayList<>());
            for (Post post : abandoned) {
                post.takeLease(now.plus(config.lease()));
                claims = claims.chain(list -> targets.ofPost(post.id).map(all -> {
                    Set<String> covered = all.stream().map(t -> t.accountId).collect(Collectors.toSet());
                    list.add(new PublishClaim(post, post.leaseToken,
                            all.stream().filter(t -> t.targetState() == TargetState.RESERVING).toList(),
                            post.accountIdList().stream().filter(a -> !covered.contains(a)).toList(), null));
                    return list;
                }));
            }
            return claims.map(list -> (List<PublishClaim>) list);
        });
    }

    /**
     * Adds the targets a claimed post still lacks: reserving ones for connected accounts, failed
     * ones ({@value #ACCOUNT_UNAVAILABLE}, never charged) for accounts that are gone. In test mode
     * the targets are ready to send at once. Null if the claim was lost.
     */
    @WithTransaction
    public Uni<PublishClaim> addTargets(PublishClaim claim, List<SocialAccount> accounts) {
        Instant now = time.now();
        Map<String, SocialAccount> byId = accounts.stream().collect(Collectors.toMap(SocialAccount::id, Function.identity()));
        return posts.lockHeld(claim.post().id, claim.leaseToken()).chain(post -> {
            if (post == null) {
                return Uni.createFrom().nullItem();
            }
            return targets.ofPost(post.id).chain(existing -> {
                Set<String> covered = existing.stream().map(t -> t.accountId).collect(Collectors.toSet());
                List<PostTarget> all = new ArrayList<>(existing);
                List<PostTarget> created = new ArrayList<>();
                List<String> ids = post.accountIdList();
                for (int i = 0; i < ids.size(); i++) {
                    if (covered.contains(ids.get(i))) {
                        continue;
                    }
                    SocialAccount account = byId.get(ids.get(i));
                    PostTarget target;
                    if (account != null && account.connected()) {
                        target = newTarget(post, i, account, TargetState.RESERVING, now);
                    } else {
                        target = newTarget(post, i, new SocialAccount(ids.get(i), post.workspaceId, null, null, null),
                                TargetState.FAILED, now);
                        target.error = ACCOUNT_UNAVAILABLE;
                        target.attemptedAt = now;
                    }
                    created.add(target);
                }
                all.addAll(created);
                if (post.testMode) {
                    for (PostTarget target : all) {
                        if (target.targetState() == TargetState.RESERVING) {
                            target.targetState(TargetState.PENDING);
                            target.updatedAt = now;
                        }
                    }
                    post.giveUpLease();
                }
                // Another claim may have added them meanwhile; Panache refuses to persist an empty list.
                Uni<Void> persisted = created.isEmpty() ? Uni.createFrom().voidItem() : targets.persist(created);
                return persisted.map(v -> {
                    finishIfDone(post, all, now);
                    return new PublishClaim(post, post.leaseToken,
                            all.stream().filter(t -> t.targetState() == TargetState.RESERVING).toList(), List.of(), null);
                });
            });
        });
    }

    /**
     * When every target of a publishing post has finished, the post's status follows from them:
     * published (all), partially_failed (some), failed (none; {@value InsufficientCreditsException#REASON} when
     * the workspace could not pay, else {@value #ALL_TARGETS_FAILED}).
     */
    static void finishIfDone(Post post, List<PostTarget> all, Instant now) {
        if (post.postStatus() != PostStatus.PUBLISHING || post.leaseToken != null || all.isEmpty()
                || !all.stream().allMatch(t -> t.targetState().terminal())) {
            return;
        }
        long published = all.stream().filter(t -> t.targetState() == TargetState.PUBLISHED).count();
        if (published == all.size()) {
            post.postStatus(PostStatus.PUBLISHED);
        } else if (published > 0) {
            post.postStatus(PostStatus.PARTIALLY_FAILED);
        } else {
            post.postStatus(PostStatus.FAILED);
            // SPEC section 5: the workspace could not pay. Targets whose account went away were never
            // attempted either, so they do not make it a platform failure.
            Set<String> errors = new HashSet<>();
            all.forEach(t -> errors.add(t.error));
            errors.remove(ACCOUNT_UNAVAILABLE);
            post.failureReason = errors.equals(Set.of(InsufficientCreditsException.REASON)) ? InsufficientCreditsException.REASON : ALL_TARGETS_FAILED;
        }
        if (published > 0 && post.publishedAt == null) {
            post.publishedAt = now;
        }
        post.updatedAt = now;
    }

    /** The post as it is now (detached). */
    public Uni<Post> find(String postId) {
        return posts.read(postId);
    }

    @WithSession
    public Uni<List<PostTarget>> targetsOf(String postId) {
        return targets.ofPost(postId);
    }
}
