package dev.postgate.publish.posts;

import static dev.postgate.common.validation.Violations.BODY_REQUIRED;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.Cancellable;

import dev.postgate.common.api.Ids;
import dev.postgate.common.api.Answers;
import dev.postgate.common.api.Page;
import dev.postgate.common.api.PageQuery;
import dev.postgate.common.api.QueryOneOf;
import dev.postgate.common.api.PageRequest;
import dev.postgate.common.auth.ApiKeyAccess;
import dev.postgate.common.auth.ApiKeyAccess.WorkspaceRule;
import dev.postgate.common.auth.Caller;
import dev.postgate.common.idempotency.IdempotentPosts;
import dev.postgate.common.keys.Scopes;
import dev.postgate.publish.posts.PostViews.CreatePostRequest;
import dev.postgate.publish.posts.PostViews.PostView;
import dev.postgate.publish.posts.PostViews.UpdatePostRequest;
import io.smallrye.mutiny.Uni;

/** Posts of a workspace as drafts: create, list, read, edit, delete (publishing them is {@code publishing.PublishResource}). */
@Cancellable(false)
@IdempotentPosts
@Path("/api/v1/posts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Posts")
public class PostResource {
    @Inject
    PostService service;

    @Inject
    Caller caller;

    @POST
    @Answers(value = 201, location = "/api/v1/posts/{id}")
    @ApiKeyAccess(scope = Scopes.POSTS_WRITE, workspace = WorkspaceRule.REQUIRED)
    @Operation(summary = "Create a draft post for connected social accounts of the workspace")
    public Uni<RestResponse<PostView>> create(@Valid @NotNull(message = BODY_REQUIRED) CreatePostRequest request) {
        return service.create(caller, request).map(post -> RestResponse.status(RestResponse.Status.CREATED, PostView.of(post)));
    }

    @GET
    @ApiKeyAccess(scope = Scopes.POSTS_READ, workspace = WorkspaceRule.REQUIRED)
    @Operation(summary = "List the workspace's posts, newest first, optionally by status")
    public Uni<Page<PostView>> list(@RestQuery @QueryOneOf(PostStatus.class) String status, @BeanParam PageQuery query) {
        PageRequest page = query.page(Ids.POST, caller.workspaceId());
        PostStatus filter = PostStatus.parseFilter(status);
        return service.list(caller, filter, page).map(p -> p.map(PostView::of));
    }

    @GET
    @Path("/{id}")
    @ApiKeyAccess(scope = Scopes.POSTS_READ, workspace = WorkspaceRule.REQUIRED)
    @Operation(summary = "A post")
    public Uni<PostView> get(@RestPath String id) {
        return service.get(caller, id).map(PostView::of);
    }

    @PATCH
    @Answers(value = 200, conflicts = { "CONFLICT: the post is not a draft, scheduled or canceled",
            Post.MODE_CONFLICT })
    @Path("/{id}")
    @ApiKeyAccess(scope = Scopes.POSTS_WRITE, workspace = WorkspaceRule.REQUIRED)
    @Operation(summary = "Change a draft, scheduled or canceled post")
    public Uni<PostView> update(@RestPath String id, @Valid @NotNull(message = BODY_REQUIRED) UpdatePostRequest request) {
        return service.update(caller, id, request).map(PostView::of);
    }

    @DELETE
    @Answers(value = 200, conflicts = { "CONFLICT: the post is being published",
            Post.MODE_CONFLICT })
    @Path("/{id}")
    @ApiKeyAccess(scope = Scopes.POSTS_WRITE, workspace = WorkspaceRule.REQUIRED)
    @Operation(summary = "Delete a post that is not being published")
    public Uni<PostView> delete(@RestPath String id) {
        return service.delete(caller, id).map(PostView::of);
    }
}
