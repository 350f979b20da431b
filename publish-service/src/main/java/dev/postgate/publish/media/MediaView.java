package dev.postgate.publish.media;

import java.time.Instant;

import dev.postgate.common.api.Identified;

/** A media file's metadata as the API shows it. */
public record MediaView(String id, String workspaceId, String name, String contentType, long size, String sha256,
        String origin, Instant createdAt) implements Identified {

    public static MediaView of(Media media) {
        return new MediaView(media.id, media.workspaceId, media.name, media.contentType, media.size, media.sha256,
                media.origin, media.createdAt);
    }
}
