package dev.postgate.publish.publishing;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.Cancellable;

import dev.postgate.common.api.Ids;
import dev.postgate.common.api.Answers;
import dev.postgate.common.api.Page;
import dev.postgate.common.api.PageQuery;
import dev.postgate.common.api.PageRequest;
import dev.postgate.common.auth.ApiKeyAccess.WorkspaceRule;
import dev.postgate.common.auth.ApiKeyAccess;
import dev.postgate.common.auth.Caller;
import dev.postgate.common.idempotency.IdempotentPosts;
import dev.postgate.common.keys.Scopes;
import dev.postgate.common.openapi.ApiDocumentFilter;
import dev.postgate.publish.credits.Prices;
import dev.postgate.publish.posts.Post;
import dev.postgate.publish.posts.PostViews.PostView;
import dev.postgate.publish.publishing.PublishViews.PublishRequest;
import dev.postgate.publish.publishing.PublishViews.ResultView;
import io.smallrye.mutiny.Uni;

/**
 * Publishing a post of a workspace: now or at a time, cancel, retry, and the results per social
 * account. The operation ids stay those these operations had when they lived in PostResource, so
 * generated clients keep their method names.
 */
@Cancellable(false)
@IdempotentPosts
@Path("/api/v1/posts/{id}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Posts")
public class PublishResource {
    /** Where the API document finds each operation's method, as its id is not the derived one. */
    private static final String HANDLER = "dev.postgate.publish.publishing.PublishResource#";

    @Inject
    PublishService service;

    @Inject
    Caller caller;

    @POST
    @Answers(value = 202, spendsCredits = true, conflicts = { "CONFLICT: the post was sent already or is being published",
            "CONFLICT: one of its accounts is disconnected, or its accounts changed meanwhile",
            Post.MODE_CONFLICT })
    @Path("/publish")
    @ApiKeyAccess(scope = Scopes.POSTS_PUBLISH, workspace = WorkspaceRule.REQUIRED)
    @Extension(name = ApiDocumentFilter.HANDLER, value = HANDLER + "publish")
    @Operation(operationId = "postPublish", summary = "Publish now (credits reserved during the request, "
            + Prices.POST_TARGET_DEFAULT + " per account by default) or at scheduled_at")
    public Uni<RestResponse<PostView>> publish(@RestPath String id, @Valid PublishRequest request) {
        return service.publish(caller, id, request == null ? null : request.scheduledAt())
                .map(accepted -> accepted.charge().respond(RestResponse.Status.ACCEPTED, PostView.of(accepted.post())));
    }

    @POST
    @Answers(value = 200, conflicts = { "CONFLICT: the post is not scheduled",
            Post.MODE_CONFLICT })
    @Path("/cancel")
    @ApiKeyAccess(scope = Scopes.POSTS_PUBLISH, workspace = WorkspaceRule.REQUIRED)
    @Extension(name = ApiDocumentFilter.HANDLER, value = HANDLER + "cancel")
    @Operation(operationId = "postCancel", summary = "Cancel a scheduled post")
    public Uni<PostView> cancel(@RestPath String id) {
        return service.cancel(caller, id).map(PostView::of);
    }

    @POST
    @Answers(value = 202, spendsCredits = true, conflicts = { "CONFLICT: the post is not partially_failed or failed, or none of its "
            + "failed targets' accounts is still connected", Post.MODE_CONFLICT })
    @Path("/retry")
    @ApiKeyAccess(scope = Scopes.POSTS_PUBLISH, workspace = WorkspaceRule.REQUIRED)
    @Extension(name = ApiDocumentFilter.HANDLER, value = HANDLER + "retry")
    @Operation(operationId = "postRetry", summary = "Publish the failed targets of a partially_failed or failed post again (credits: "
            + Prices.POST_TARGET_DEFAULT + " per target by default)")
    public Uni<RestResponse<PostView>> retry(@RestPath String id) {
        return service.retry(caller, id)
                .map(accepted -> accepted.charge().respond(RestResponse.Status.ACCEPTED, PostView.of(accepted.post())));
    }

    @GET
    @Path("/results")
    @ApiKeyAccess(scope = Scopes.POSTS_READ, workspace = WorkspaceRule.REQUIRED)
    @Extension(name = ApiDocumentFilter.HANDLER, value = HANDLER + "results")
    @Operation(operationId = "postResults", summary = "The post's result on each social account")
    public Uni<Page<ResultView>> results(@RestPath String id, @BeanParam PageQuery query) {
        PageRequest page = query.page(Ids.POST_TARGET, id);
        return service.results(caller, id, page).map(targets -> targets.map(ResultView::of));
    }
}
