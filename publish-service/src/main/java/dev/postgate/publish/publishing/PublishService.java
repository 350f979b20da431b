package dev.postgate.publish.publishing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import dev.postgate.common.api.Page;
import dev.postgate.common.api.PageRequest;
import dev.postgate.common.auth.Caller;
import dev.postgate.common.errors.ConflictException;
import dev.postgate.common.errors.SimpleErrors;
import dev.postgate.common.errors.ValidationException;
import dev.postgate.common.time.TimeSource;
import dev.postgate.keyclient.SocialAccount;
import dev.postgate.keyclient.WorkspaceServiceClient;
import dev.postgate.publish.credits.Charge;
import dev.postgate.publish.posts.Post;
import dev.postgate.publish.posts.PostRepository;
import dev.postgate.publish.posts.PostService;
import dev.postgate.publish.posts.PostStatus;
import dev.postgate.publish.publishing.PublishFlow.Accepted;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * Publishing a post: now (credits reserved during the request), at a time (scheduled), cancel,
 * retry of the failed targets, and the results per social account. Drafts themselves are the
 * posts feature's ({@link PostService}).
 */
@ApplicationScoped
public class PublishService {
    static final Duration MAX_SCHEDULE_AHEAD = Duration.ofDays(365);

    @Inject
    TimeSource time;

    @Inject
    PostRepository posts;

    @Inject
    PostTargetRepository targets;

    @Inject
    PostService drafts;

    @Inject
    WorkspaceServiceClient workspaces;

    @Inject
    PublishSteps steps;

    @Inject
    PublishFlow flow;

    @Inject
    Event<WorkAdded> workAdded;

    /**
     * Publishes now: one credit per target is reserved during the request (402, with nothing
     * changed, if the workspace cannot pay for all), the post becomes publishing and the worker
     * sends it. With {@code scheduled_at}: the post is scheduled and nothing is reserved yet.
     */
    public Uni<Accepted> publish(Caller caller, String id, Instant scheduledAt) {
        if (scheduledAt != null) {
            return schedule(caller, id, checkScheduledAt(scheduledAt))
                    .chain(post -> balance(post.workspaceId).map(b -> new Accepted(post, Charge.free(b))));
        }
        return publishableAccounts(caller, id)
                .chain(accounts -> startAndAccept(() -> steps.startPublish(caller.orgId(), caller.workspaceId(), id, accounts,
                        caller.testMode())));
    }

    /**
     * Publishes the failed targets of a partially_failed or failed post again, one credit each:
     * those whose social account is still connected. A target whose account was disconnected
     * since stays failed; when no failed target can be sent again, 409.
     */
    public Uni<Accepted> retry(Caller caller, String id) {
        return findForPublishing(caller, id)
                .invoke(post -> post.postStatus().checkRetry())
                .chain(post -> steps.targetsOf(post.id))
                .map(all -> all.stream().filter(t -> t.targetState() == TargetState.FAILED).map(t -> t.accountId).toList())
                .chain(failed -> workspaces.accounts(caller.workspaceId(), failed))
                .map(found -> found.stream().filter(SocialAccount::connected).toList())
                .chain(accounts -> startAndAccept(() -> steps.startRetry(caller.orgId(), caller.workspaceId(), id, accounts,
                        caller.testMode())));
    }

    /**
     * Starts a publish or retry and holds its credits: once more, under new reservation keys, when
     * the holds its keys found had run out ({@link PublishFlow.HoldsRanOut}).
     */
    private Uni<Accepted> startAndAccept(Supplier<Uni<PublishClaim>> start) {
        return start.get().chain(this::accept)
                .onFailure(PublishFlow.HoldsRanOut.class).recoverWithUni(() -> start.get().chain(this::accept))
                .onFailure(PublishFlow.HoldsRanOut.class).transform(e -> SimpleErrors.unavailable(
                        "The post's credits could not be held now; publish it again."));
    }

    /** Cancels a scheduled post. */
    @WithTransaction
    public Uni<Post> cancel(Caller caller, String id) {
        return drafts.lock(caller, id).map(post -> {
            post.checkMode(caller.testMode());
            post.postStatus().checkCancel();
            post.postStatus(PostStatus.CANCELED);
            post.updatedAt = time.now();
            return post;
        });
    }

    /** A page of the post's results per social account, in the order of its accounts (empty until it is published). */
    @WithSession
    public Uni<Page<PostTarget>> results(Caller caller, String id, PageRequest page) {
        return visiblePost(caller, id).chain(post -> targets.ofPost(post.id, page)).map(rows -> Page.of(rows, page, target -> target.id));
    }

    /** All of the post's results per social account (at most one per account: analytics reads them together). */
    @WithSession
    public Uni<List<PostTarget>> results(Caller caller, String id) {
        return visiblePost(caller, id).chain(post -> targets.ofPost(post.id));
    }

    private Uni<Post> visiblePost(Caller caller, String id) {
        return posts.findInWorkspace(caller.orgId(), caller.workspaceId(), id).onItem().ifNull().failWith(() -> PostService.notFound(id));
    }

    /**
     * Schedules the post for {@code at}; nothing is reserved until the worker publishes it. Its
     * accounts are checked with workspace-service first: the post's row is locked only to write the
     * change, never while another service is asked.
     */
    Uni<Post> schedule(Caller caller, String id, Instant at) {
        return publishableAccounts(caller, id)
                .map(accounts -> accounts.stream().map(SocialAccount::id).toList())
                .chain(checked -> markScheduled(caller, id, at, checked));
    }

    /** The accounts of a post that may be published, each still connected (else 404 or 409), asked before anything is locked. */
    private Uni<List<SocialAccount>> publishableAccounts(Caller caller, String id) {
        return findForPublishing(caller, id)
                .invoke(post -> post.postStatus().checkPublish())
                .chain(post -> drafts.checkStillConnected(post.workspaceId, post.accountIdList()));
    }

    /** The post scheduled, if it may still be published and its accounts are still the ones checked (else 409). */
    @WithTransaction
    Uni<Post> markScheduled(Caller caller, String id, Instant at, List<String> checkedAccounts) {
        return drafts.lock(caller, id).map(post -> {
            post.postStatus().checkPublish();
            if (!post.accountIdList().equals(checkedAccounts)) {
                throw new ConflictException("The post's accounts changed while it was being scheduled: schedule it again.");
            }
            post.postStatus(PostStatus.SCHEDULED);
            post.scheduledAt = at;
            post.checkMode(caller.testMode());
            post.updatedAt = time.now();
            return post;
        });
    }

    /** The post as it is now, to refuse early (404, 409) before anything is asked of workspace-service. */
    private Uni<Post> findForPublishing(Caller caller, String id) {
        return steps.find(id).map(post -> {
            if (post == null || post.deletedAt != null || !post.orgId.equals(caller.orgId())
                    || !post.workspaceId.equals(caller.workspaceId())) {
                throw PostService.notFound(id);
            }
            post.checkMode(caller.testMode());
            return post;
        });
    }

    /** Test mode reserves nothing: the targets are pending already, and the worker is woken now; else see {@link PublishFlow#reserveForRequest}. */
    private Uni<Accepted> accept(PublishClaim claim) {
        if (claim.leaseToken() != null) {
            return flow.reserveForRequest(claim);
        }
        return balance(claim.post().workspaceId).map(b -> new Accepted(claim.post(), Charge.free(b)))
                .invoke(a -> workAdded.fire(new WorkAdded()));
    }

    private Uni<Long> balance(String workspaceId) {
        return workspaces.balance(workspaceId).map(b -> b.orElse(null));
    }

    /** Past times are refused with the body ({@code @Future}); the year ahead is checked here, against the same clock. */
    private Instant checkScheduledAt(Instant at) {
        if (at.isAfter(time.now().plus(MAX_SCHEDULE_AHEAD))) {
            throw ValidationException.invalid("scheduled_at", "scheduled_at can be at most one year ahead.");
        }
        return at;
    }
}
