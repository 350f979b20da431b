package dev.postgate.publish.generation;

import static dev.postgate.common.validation.Violations.BODY_REQUIRED;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.Cancellable;

import dev.postgate.common.api.Ids;
import dev.postgate.common.api.Answers;
import dev.postgate.common.api.Page;
import dev.postgate.common.api.PageQuery;
import dev.postgate.common.api.PageRequest;
import dev.postgate.common.auth.ApiKeyAccess;
import dev.postgate.common.auth.ApiKeyAccess.WorkspaceRule;
import dev.postgate.common.auth.Caller;
import dev.postgate.common.idempotency.IdempotentPosts;
import dev.postgate.common.keys.Scopes;
import dev.postgate.publish.credits.Prices;
import dev.postgate.publish.media.MediaService;
import dev.postgate.publish.generation.GenerationViews.GenerateRequest;
import dev.postgate.publish.generation.GenerationViews.GenerationView;
import io.smallrye.mutiny.Uni;

/** Paid generation (synchronous) of captions, images and videos, and the generated items of a workspace. */
@Cancellable(false)
@IdempotentPosts
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Generation")
public class GenerationResource {
    @Inject
    GenerationFlow flow;

    @Inject
    GenerationService service;

    @Inject
    Caller caller;

    @POST
    @Answers(value = 201, spendsCredits = true, location = "/api/v1/content/{id}")
    @Path("/content/generate")
    @ApiKeyAccess(scope = Scopes.CONTENT_GENERATE, workspace = WorkspaceRule.REQUIRED)
    @Operation(summary = "Generate a caption (credits: " + Prices.CAPTION_DEFAULT + " by default)")
    public Uni<RestResponse<GenerationView>> generateCaption(@Valid @NotNull(message = BODY_REQUIRED) GenerateRequest request) {
        return generate(GenerationKind.CAPTION, request);
    }

    @POST
    @Answers(value = 201, spendsCredits = true, location = "/api/v1/images/{id}", tooLarge = MediaService.FREE_GENERATION_OVER_QUOTA)
    @Path("/images/generate")
    @ApiKeyAccess(scope = Scopes.IMAGES_GENERATE, workspace = WorkspaceRule.REQUIRED)
    @Operation(summary = "Generate an image, stored as PNG media of the workspace (credits: " + Prices.IMAGE_DEFAULT + " by default)")
    public Uni<RestResponse<GenerationView>> generateImage(@Valid @NotNull(message = BODY_REQUIRED) GenerateRequest request) {
        return generate(GenerationKind.IMAGE, request);
    }

    @POST
    @Answers(value = 201, spendsCredits = true, location = "/api/v1/images/{id}", tooLarge = MediaService.FREE_GENERATION_OVER_QUOTA)
    @Path("/ai/generate-image")
    @ApiKeyAccess(scope = Scopes.IMAGES_GENERATE, workspace = WorkspaceRule.REQUIRED)
    @Operation(summary = "Generate an image (same as POST /api/v1/images/generate)")
    public Uni<RestResponse<GenerationView>> generateImageAlias(@Valid @NotNull(message = BODY_REQUIRED) GenerateRequest request) {
        return generate(GenerationKind.IMAGE, request);
    }

    @POST
    @Answers(value = 201, spendsCredits = true, location = "/api/v1/videos/{id}", tooLarge = MediaService.FREE_GENERATION_OVER_QUOTA)
    @Path("/videos/generate")
    @ApiKeyAccess(scope = Scopes.VIDEOS_GENERATE, workspace = WorkspaceRule.REQUIRED)
    @Operation(summary = "Generate a short video (an animated PNG) stored as media of the workspace (credits: " + Prices.VIDEO_DEFAULT
            + " by default)")
    public Uni<RestResponse<GenerationView>> generateVideo(@Valid @NotNull(message = BODY_REQUIRED) GenerateRequest request) {
        return generate(GenerationKind.VIDEO, request);
    }

    @GET
    @Path("/content")
    @ApiKeyAccess(scope = Scopes.CONTENT_READ, workspace = WorkspaceRule.REQUIRED)
    @Operation(summary = "The workspace's generated captions, newest first")
    public Uni<Page<GenerationView>> captions(@BeanParam PageQuery query) {
        return list(GenerationKind.CAPTION, query);
    }

    @GET
    @Path("/content/{id}")
    @ApiKeyAccess(scope = Scopes.CONTENT_READ, workspace = WorkspaceRule.REQUIRED)
    @Operation(summary = "A generated caption")
    public Uni<GenerationView> caption(@RestPath String id) {
        return service.get(caller, GenerationKind.CAPTION, id).map(GenerationView::of);
    }

    @GET
    @Path("/images")
    @ApiKeyAccess(scope = Scopes.IMAGES_READ, workspace = WorkspaceRule.REQUIRED)
    @Operation(summary = "The workspace's generated images, newest first")
    public Uni<Page<GenerationView>> images(@BeanParam PageQuery query) {
        return list(GenerationKind.IMAGE, query);
    }

    @GET
    @Path("/images/{id}")
    @ApiKeyAccess(scope = Scopes.IMAGES_READ, workspace = WorkspaceRule.REQUIRED)
    @Operation(summary = "A generated image")
    public Uni<GenerationView> image(@RestPath String id) {
        return service.get(caller, GenerationKind.IMAGE, id).map(GenerationView::of);
    }

    @GET
    @Path("/videos")
    @ApiKeyAccess(scope = Scopes.VIDEOS_READ, workspace = WorkspaceRule.REQUIRED)
    @Operation(summary = "The workspace's generated videos, newest first")
    public Uni<Page<GenerationView>> videos(@BeanParam PageQuery query) {
        return list(GenerationKind.VIDEO, query);
    }

    @GET
    @Path("/videos/{id}")
    @ApiKeyAccess(scope = Scopes.VIDEOS_READ, workspace = WorkspaceRule.REQUIRED)
    @Operation(summary = "A generated video")
    public Uni<GenerationView> video(@RestPath String id) {
        return service.get(caller, GenerationKind.VIDEO, id).map(GenerationView::of);
    }

    private Uni<RestResponse<GenerationView>> generate(GenerationKind kind, GenerateRequest request) {
        return flow.generate(caller, kind, request)
                .map(done -> done.charge().respond(RestResponse.Status.CREATED, GenerationView.of(done.generation())));
    }

    private Uni<Page<GenerationView>> list(GenerationKind kind, PageQuery query) {
        PageRequest page = query.page(Ids.GENERATION, kind.wire() + " " + caller.workspaceId());
        return service.list(caller, kind, page).map(p -> p.map(GenerationView::of));
    }
}
