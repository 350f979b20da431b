package dev.postgate.publish.media;

/** A media file as connectors see it; the bytes come from {@link MediaStorage#read(String, long)} when needed. */
public record MediaFile(String id, String name, String contentType, long size, String sha256) {

    public static MediaFile of(Media media) {
        return new MediaFile(media.id, media.name, media.contentType, media.size, media.sha256);
    }
}
