package dev.postgate.publish.posts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.postgate.common.api.Ids;
import dev.postgate.common.api.Page;
import dev.postgate.common.api.PageRequest;
import dev.postgate.common.auth.Caller;
import dev.postgate.common.errors.ConflictException;
import dev.postgate.common.errors.NotFoundException;
import dev.postgate.common.errors.ValidationException;
import dev.postgate.common.errors.ValidationException.FieldError;
import dev.postgate.common.time.TimeSource;
import dev.postgate.common.validation.Violations;
import dev.postgate.keyclient.SocialAccount;
import dev.postgate.keyclient.WorkspaceServiceClient;
import dev.postgate.publish.media.Media;
import dev.postgate.publish.media.MediaConfig;
import dev.postgate.publish.media.MediaRepository;
import dev.postgate.publish.posts.PostViews.CreatePostRequest;
import dev.postgate.publish.posts.PostViews.UpdatePostRequest;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * The rules of posts: what a post may contain and target, which changes each status allows
 * ({@link PostStatus}), and publishing now (credits reserved during the request), later
 * (scheduled; nothing reserved until then) or again (retry of the failed targets).
 */
@ApplicationScoped
public class PostService {
    @Inject
    TimeSource time;

    @Inject
    PostRepository posts;

    @Inject
    MediaRepository media;

    @Inject
    MediaConfig mediaConfig;

    @Inject
    WorkspaceServiceClient workspaces;

    /**
     * A draft. Its media and accounts are checked first, the accounts with workspace-service: no
     * transaction is open while another service is asked, so a slow one holds no connection.
     */
    public Uni<Post> create(Caller caller, CreatePostRequest request) {
        String content = request.content();
        List<String> accountIds = request.accountIds();
        List<String> mediaIds = request.mediaIds() == null ? List.of() : request.mediaIds();
        Violations.checkNoRepeats(accountIds, i -> "account_ids[" + i + "]");
        checkMediaIds(mediaIds);
        String workspaceId = caller.workspaceId();
        return checkMedia(workspaceId, mediaIds)
                .chain(() -> checkAccounts(workspaceId, accountIds))
                .chain(accounts -> insert(caller, content, accountIds, mediaIds));
    }

    @WithTransaction
    Uni<Post> insert(Caller caller, String content, List<String> accountIds, List<String> mediaIds) {
        return keepMedia(caller.workspaceId(), mediaIds).chain(() -> persist(caller, content, accountIds, mediaIds));
    }

    private Uni<Post> persist(Caller caller, String content, List<String> accountIds, List<String> mediaIds) {
        Instant now = time.now();
        Post post = new Post();
        post.id = Ids.newId(Ids.POST);
        post.orgId = caller.orgId();
        post.workspaceId = caller.workspaceId();
        post.content = content;
        post.accountIdList(accountIds);
        post.mediaIdList(mediaIds);
        post.postStatus(PostStatus.DRAFT);
        post.testMode = caller.testMode();
        post.createdBy = caller.actor();
        post.createdAt = now;
        post.updatedAt = now;
        return posts.persist(post);
    }

    @WithSession
    public Uni<Page<Post>> list(Caller caller, PostStatus status, PageRequest page) {
        return posts.page(caller.orgId(), caller.workspaceId(), status, page).map(rows -> Page.of(rows, page, p -> p.id));
    }

    @WithSession
    public Uni<Post> get(Caller caller, String id) {
        return posts.findInWorkspace(caller.orgId(), caller.workspaceId(), id).onItem().ifNull().failWith(() -> notFound(id));
    }

    /** A post changed while its status allows it (checkEdit); what it names is checked first, outside the transaction (see {@link #create}). */
    public Uni<Post> update(Caller caller, String id, UpdatePostRequest request) {
        if (request.changesNothing()) {
            throw ValidationException.invalid("content", "Send at least one of content, account_ids, media_ids.");
        }
        String content = request.content().orElse(null);
        List<String> accountIds = request.accountIds().orElse(null);
        List<String> mediaIds = request.mediaIds().isPresent() ? Objects.requireNonNullElse(request.mediaIds().get(), List.of()) : null;
        if (accountIds != null) {
            Violations.checkNoRepeats(accountIds, i -> "account_ids[" + i + "]");
        }
        if (mediaIds != null) {
            checkMediaIds(mediaIds);
        }
        // The accounts and media are the caller's workspace's or 422, before the post is looked for (SPEC section 4:
        // validation before 404 and 409), and before its row is locked.
        Uni<Void> checks = mediaIds == null ? Uni.createFrom().voidItem() : checkMedia(caller.workspaceId(), mediaIds);
        if (accountIds != null) {
            checks = checks.chain(() -> checkAccounts(caller.workspaceId(), accountIds)).replaceWithVoid();
        }
        return checks.chain(() -> change(caller, id, content, accountIds, mediaIds));
    }

    @WithTransaction
    Uni<Post> change(Caller caller, String id, String content, List<String> accountIds, List<String> mediaIds) {
        Uni<Void> media = mediaIds == null ? Uni.createFrom().voidItem() : keepMedia(caller.workspaceId(), mediaIds);
        return media.chain(() -> lock(caller, id)).map(post -> {
            post.checkMode(caller.testMode());
            post.postStatus().checkEdit();
            if (content != null) {
                post.content = content;
            }
            if (accountIds != null) {
                post.accountIdList(accountIds);
            }
            if (mediaIds != null) {
                post.mediaIdList(mediaIds);
            }
            post.updatedAt = time.now();
            return post;
        });
    }

    /** Deletes a post that is not being published (its results go with it). */
    @WithTransaction
    public Uni<Post> delete(Caller caller, String id) {
        return lock(caller, id).map(post -> {
            post.checkMode(caller.testMode());
            post.postStatus().checkDelete();
            post.deletedAt = time.now();
            return post;
        });
    }

    /** The caller's post, locked for this transaction (404 when it is not the caller's or does not exist). */
    public Uni<Post> lock(Caller caller, String id) {
        return posts.lockInWorkspace(caller.orgId(), caller.workspaceId(), id).onItem().ifNull().failWith(() -> notFound(id));
    }

    /** The accounts, in the order given, if each is a connected social account of the workspace (else 422 naming them). */
    public Uni<List<SocialAccount>> checkAccounts(String workspaceId, List<String> accountIds) {
        return connected(workspaceId, accountIds, gone -> ValidationException.invalid(gone.stream()
                .map(i -> new FieldError("account_ids[" + i + "]", "'" + accountIds.get(i) + "' is not a connected social account of this workspace."))
                .toList()));
    }

    /**
     * A stored post's accounts, in its order, if each is still a connected social account of the
     * workspace: else 409, naming those that are not (the request that publishes it sent no
     * account ids to correct; the post's own must be changed first).
     */
    public Uni<List<SocialAccount>> checkStillConnected(String workspaceId, List<String> accountIds) {
        return connected(workspaceId, accountIds, gone -> new ConflictException("The post's accounts "
                + gone.stream().map(i -> "'" + accountIds.get(i) + "'").collect(Collectors.joining(", "))
                + " are no longer connected social accounts of this workspace: change its account_ids, then publish it again."));
    }

    /** The accounts in the order given, or {@code refusal} of the positions of those that are not connected accounts of the workspace. */
    private Uni<List<SocialAccount>> connected(String workspaceId, List<String> accountIds,
            Function<List<Integer>, ? extends RuntimeException> refusal) {
        return workspaces.accounts(workspaceId, accountIds).map(found -> {
            Map<String, SocialAccount> byId = found.stream().collect(Collectors.toMap(SocialAccount::id, Function.identity(), (a, b) -> a));
            List<Integer> gone = new ArrayList<>();
            List<SocialAccount> ordered = new ArrayList<>();
            for (int i = 0; i < accountIds.size(); i++) {
                SocialAccount account = byId.get(accountIds.get(i));
                if (account == null || !account.connected()) {
                    gone.add(i);
                } else {
                    ordered.add(account);
                }
            }
            if (!gone.isEmpty()) {
                throw refusal.apply(gone);
            }
            return ordered;
        });
    }

    @WithSession
    Uni<Void> checkMedia(String workspaceId, List<String> mediaIds) {
        return media.inWorkspace(workspaceId, mediaIds).invoke(found -> requireAll(mediaIds, found)).replaceWithVoid();
    }

    /**
     * The check of {@link #checkMedia} again, in the transaction that stores the post, with the media
     * locked against deletion until it commits: a file deleted since the first check is 422 too, and
     * a deletion that comes after waits, then finds the post (409).
     */
    private Uni<Void> keepMedia(String workspaceId, List<String> mediaIds) {
        return media.keepInWorkspace(workspaceId, mediaIds).invoke(found -> requireAll(mediaIds, found)).replaceWithVoid();
    }

    /** 422 naming each of {@code mediaIds} that is not among {@code found}. */
    private static void requireAll(List<String> mediaIds, List<Media> found) {
        Set<String> known = found.stream().map((Media m) -> m.id).collect(Collectors.toSet());
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < mediaIds.size(); i++) {
            if (!known.contains(mediaIds.get(i))) {
                errors.add(new FieldError("media_ids[" + i + "]", "'" + mediaIds.get(i) + "' is not media of this workspace."));
            }
        }
        if (!errors.isEmpty()) {
            throw ValidationException.invalid(errors);
        }
    }

    /** Media beyond the workspace's per-post limit, or listed twice, are 422 naming them. */
    private void checkMediaIds(List<String> ids) {
        if (ids.size() > mediaConfig.maxPerPost()) {
            throw ValidationException.invalid("media_ids", "A post can carry at most " + mediaConfig.maxPerPost() + " media.");
        }
        Violations.checkNoRepeats(ids, i -> "media_ids[" + i + "]");
    }

    public static NotFoundException notFound(String id) {
        return new NotFoundException("Post " + id);
    }
}
