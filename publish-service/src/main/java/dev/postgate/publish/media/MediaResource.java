package dev.postgate.publish.media;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestMulti;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.server.Cancellable;

import dev.postgate.common.api.Ids;
import dev.postgate.common.api.Answers;
import dev.postgate.common.api.Page;
import dev.postgate.common.api.PageQuery;
import dev.postgate.common.api.PageRequest;
import dev.postgate.common.auth.ApiKeyAccess;
import dev.postgate.common.auth.ApiKeyAccess.WorkspaceRule;
import dev.postgate.common.auth.Caller;
import dev.postgate.common.http.StreamedBody;
import dev.postgate.common.keys.Scopes;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Media of a workspace: multipart upload (streamed, see {@link MediaUploads}), metadata, the bytes
 * (sent as the client takes them, a stored piece at a time: a download holds no whole file in
 * memory, however many run at once or however slowly their clients read), deletion.
 */
@Cancellable(false)
@Path(MediaResource.PATH)
@Tag(name = "Media")
public class MediaResource {
    /** Where the media endpoints, uploads among them, live; the edge applies its request limit to this path. */
    public static final String PATH = "/api/v1/media";

    @Inject
    MediaService service;

    @Inject
    Caller caller;

    @Inject
    MediaUploads uploads;

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Answers(value = 201, location = "/api/v1/media/{id}", tooLarge = MediaService.UPLOAD_OVER_QUOTA,
            rateLimited = MediaService.UPLOADS_IN_PROGRESS)
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @StreamedBody
    @ApiKeyAccess(scope = Scopes.MEDIA_WRITE, workspace = WorkspaceRule.REQUIRED)
    @Operation(summary = "Upload a file (form field 'file', optional 'name'); its type is detected from its bytes")
    @RequestBody(content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA, schema = @Schema(implementation = MediaUploadForm.class)))
    @APIResponse(responseCode = "201", description = "The file is stored", content = @Content(schema = @Schema(implementation = MediaView.class)))
    public Uni<Response> upload(RoutingContext rc) {
        return uploads.receive(caller, rc).map(outcome -> outcome.replay() != null ? outcome.replay()
                : Response.status(Response.Status.CREATED).entity(MediaView.of(outcome.media())).build());
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Answers(value = 201, location = "/api/v1/media/{id}", tooLarge = MediaService.UPLOAD_OVER_QUOTA,
            rateLimited = MediaService.UPLOADS_IN_PROGRESS)
    @Path("/upload")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @StreamedBody
    @ApiKeyAccess(scope = Scopes.MEDIA_WRITE, workspace = WorkspaceRule.REQUIRED)
    @Operation(summary = "Upload a file (same as POST /api/v1/media)")
    @RequestBody(content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA, schema = @Schema(implementation = MediaUploadForm.class)))
    @APIResponse(responseCode = "201", description = "The file is stored", content = @Content(schema = @Schema(implementation = MediaView.class)))
    public Uni<Response> uploadAlias(RoutingContext rc) {
        return upload(rc);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @ApiKeyAccess(scope = Scopes.MEDIA_READ, workspace = WorkspaceRule.REQUIRED)
    @Operation(summary = "List the workspace's media, newest first")
    public Uni<Page<MediaView>> list(@BeanParam PageQuery query) {
        PageRequest page = query.page(Ids.MEDIA, caller.workspaceId());
        return service.list(caller, page).map(p -> p.map(MediaView::of));
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Path("/{id}")
    @ApiKeyAccess(scope = Scopes.MEDIA_READ, workspace = WorkspaceRule.REQUIRED)
    @Operation(summary = "A file's metadata (its bytes: GET /api/v1/media/{id}/content)")
    public Uni<MediaView> get(@RestPath String id) {
        return service.get(caller, id).map(MediaView::of);
    }

    @GET
    @Answers(value = 200, rateLimited = MediaService.DOWNLOADS_IN_PROGRESS)
    @Path("/{id}/content")
    @ApiKeyAccess(scope = Scopes.MEDIA_READ, workspace = WorkspaceRule.REQUIRED)
    @Operation(summary = "The file's bytes, with its content type (not enveloped)")
    @APIResponse(responseCode = "200", description = "OK", content = @Content(mediaType = MediaType.WILDCARD,
            schema = @Schema(type = SchemaType.STRING, format = "binary")), headers = {
                    @Header(name = HttpHeaders.CONTENT_LENGTH, description = LENGTH, schema = @Schema(type = SchemaType.INTEGER, format = "int64")),
                    @Header(name = HttpHeaders.ETAG, description = TAG, schema = @Schema(type = SchemaType.STRING)) })
    @APIResponse(responseCode = "304", description = NOT_MODIFIED, headers = @Header(name = HttpHeaders.ETAG, description = TAG,
            schema = @Schema(type = SchemaType.STRING)))
    // No @Produces: the REST layer streams a Multi as the one type its method declares (a wildcard would
    // make it server-sent events); without one it sends the bytes as they are, whatever the client accepts.
    public RestMulti<byte[]> content(@RestPath String id,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) @Parameter(description = IF_NONE_MATCH) String ifNoneMatch,
            @Context RoutingContext rc) {
        // The client's copy is the file: 304 with the file's headers and no bytes (the bytes' Multi is never subscribed to).
        Uni<Download> download = service.content(caller, id).invoke(content -> sendLength(rc, content.media()))
                .map(content -> unchanged(content.media(), ifNoneMatch)
                        ? new Download(content.media(), Multi.createFrom().empty(), Response.Status.NOT_MODIFIED.getStatusCode())
                        : new Download(content.media(), content.bytes(), Response.Status.OK.getStatusCode()));
        return RestMulti.fromUniResponse(download, Download::bytes, answer -> fileHeaders(answer.media()), Download::status);
    }

    @HEAD
    @Path("/{id}/content")
    @ApiKeyAccess(scope = Scopes.MEDIA_READ, workspace = WorkspaceRule.REQUIRED)
    @Operation(summary = "The headers GET /api/v1/media/{id}/content answers (type, length, ETag), without the bytes: "
            + "none is read and no download slot is taken")
    @APIResponse(responseCode = "200", description = "The file is there: its type, length and ETag, as its download would say them",
            headers = { @Header(name = HttpHeaders.CONTENT_LENGTH, description = LENGTH, schema = @Schema(type = SchemaType.INTEGER, format = "int64")),
                    @Header(name = HttpHeaders.ETAG, description = TAG, schema = @Schema(type = SchemaType.STRING)) })
    @APIResponse(responseCode = "304", description = NOT_MODIFIED, headers = @Header(name = HttpHeaders.ETAG, description = TAG,
            schema = @Schema(type = SchemaType.STRING)))
    public Uni<Response> contentHeaders(@RestPath String id,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) @Parameter(description = IF_NONE_MATCH) String ifNoneMatch) {
        return service.get(caller, id).map(file -> {
            Response.ResponseBuilder answer = unchanged(file, ifNoneMatch) ? Response.notModified()
                    : Response.ok().header(HttpHeaders.CONTENT_LENGTH, file.size);
            fileHeaders(file).forEach((name, values) -> answer.header(name, values.get(0)));
            return answer.build();
        });
    }

    @DELETE
    @Produces(MediaType.APPLICATION_JSON)
    @Answers(value = 200, conflicts = "CONFLICT: a post that may still be published uses the file")
    @Path("/{id}")
    @ApiKeyAccess(scope = Scopes.MEDIA_WRITE, workspace = WorkspaceRule.REQUIRED)
    @Operation(summary = "Delete a file no unpublished post uses")
    public Uni<MediaView> delete(@RestPath String id) {
        return service.delete(caller, id).map(MediaView::of);
    }

    /** A download's answer: the file, the bytes sent, the status. */
    private record Download(Media media, Multi<byte[]> bytes, int status) {
    }

    /**
     * What a download and its HEAD say of the file besides its length; a 304 says it too, so that a
     * cache updating its copy from the 304 keeps the file's own type.
     */
    private static Map<String, List<String>> fileHeaders(Media file) {
        return Map.of(HttpHeaders.CONTENT_TYPE, List.of(file.contentType),
                "Content-Disposition", List.of("inline; filename=\"" + safeFileName(file) + "\""),
                "X-Content-Type-Options", List.of("nosniff"),
                HttpHeaders.ETAG, List.of(etag(file)),
                // Only the client may keep it (never a shared cache), and asks again before using it: 304 while it is the same.
                HttpHeaders.CACHE_CONTROL, List.of("private, no-cache"));
    }

    /** The file's entity tag: its SHA-256, so the same bytes always have the same tag. */
    private static String etag(Media file) {
        return "\"" + file.sha256 + "\"";
    }

    /**
     * True when {@code If-None-Match} names the file's tag, or is {@code *}: the client's copy is the
     * file (RFC 9110, section 13.1.2, by weak comparison, so {@code W/"…"} matches too). Any other
     * value, malformed ones included, is not a match: the file is sent.
     */
    private static boolean unchanged(Media file, String ifNoneMatch) {
        if (ifNoneMatch == null) {
            return false;
        }
        String tag = etag(file);
        for (String listed : ifNoneMatch.split(",")) {
            String candidate = listed.strip();
            if (candidate.equals("*") || (candidate.startsWith("W/") ? candidate.substring(2) : candidate).equals(tag)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The REST layer sends a stream chunked (or, to an HTTP/1.0 client, with no length at all), as its
     * length is unknown to it; a file's is known, so the download says it ({@code Content-Length}): a
     * client can show progress, and tell a download cut short from a whole one. Applied to the file's
     * own answer only (200 with its tag), never to an error's or a 304's.
     */
    private static void sendLength(RoutingContext rc, Media file) {
        String tag = etag(file);
        rc.addHeadersEndHandler(done -> {
            HttpServerResponse response = rc.response();
            if (response.getStatusCode() == Response.Status.OK.getStatusCode() && tag.equals(response.headers().get(HttpHeaders.ETAG))) {
                response.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
                response.headers().set(HttpHeaderNames.CONTENT_LENGTH, Long.toString(file.size));
            }
        });
    }

    private static final String NOT_MODIFIED = "Not modified: If-None-Match names the file's ETag (or is *), so the client's "
            + "copy is the file. No body; the file's headers (ETag, Content-Type). Reads no byte and takes no download slot.";
    private static final String LENGTH = "The file's size in bytes.";
    private static final String TAG = "The file's SHA-256, quoted: the same bytes always have the same tag (If-None-Match).";
    private static final String IF_NONE_MATCH = "ETags of copies the client holds (as the ETag header gave them, W/ or *): "
            + "when one is the file's, the answer is 304 without the bytes. Without this header the answer is never 304.";

    private static String safeFileName(Media media) {
        String cleaned = media.name.replaceAll("[^A-Za-z0-9._-]", "_");
        return cleaned.isEmpty() ? media.id + "." + MediaTypes.extension(media.contentType) : cleaned;
    }
}
