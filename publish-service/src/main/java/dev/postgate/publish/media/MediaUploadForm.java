package dev.postgate.publish.media;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The multipart form of an upload, as the API document describes it for both upload paths.
 * {@link MultipartUpload} reads the real stream; nothing builds this record.
 */
@Schema(name = "MediaUpload", description = "A file to store in the workspace.")
record MediaUploadForm(
        @Schema(required = true, type = SchemaType.STRING, format = "binary",
                description = "PNG, JPEG, GIF, WebP or MP4, at most postgate.publish.media.max-bytes") String file,
        @Schema(description = "At most " + Media.MAX_NAME + " characters. Without it (or blank): the file's own name without its"
                + " directory parts, cut to " + Media.MAX_NAME + " characters") String name) {
}
