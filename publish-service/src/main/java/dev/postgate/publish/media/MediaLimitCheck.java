package dev.postgate.publish.media;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import dev.postgate.common.http.HttpEdge;
import io.quarkus.runtime.StartupEvent;

/**
 * At start, the file limit ({@code postgate.publish.media.max-bytes}) must fit under the request
 * limit of the upload path ({@code postgate.http.body-limits."/api/v1/media"}) with room for the
 * form around the file: otherwise a file the limit allows is cut off by the request limit, with a 413 that
 * names the request limit instead of the file limit. And the sweep of stored pieces no media row
 * claims ({@code abandoned-after}) must wait at least twice as long as an upload may take
 * ({@code max-upload-duration}): otherwise it deletes the first pieces of an upload still
 * arriving, and the file is stored cut short. The service refuses to start rather than do either.
 */
@ApplicationScoped
public class MediaLimitCheck {
    @Inject
    MediaConfig config;

    @Inject
    HttpEdge edge;

    void check(@Observes StartupEvent event) {
        check(config.maxBytes(), edge.limitFor("POST", MediaResource.PATH));
        checkSweep(config.maxUploadDuration(), config.abandonedAfter());
    }

    static void checkSweep(Duration maxUploadDuration, Duration abandonedAfter) {
        if (abandonedAfter.compareTo(maxUploadDuration.multipliedBy(2)) < 0) {
            throw new IllegalStateException("postgate.publish.media.abandoned-after (" + abandonedAfter + ") must be at least twice"
                    + " postgate.publish.media.max-upload-duration (" + maxUploadDuration + "): the sweep would delete pieces of"
                    + " uploads still arriving; raise abandoned-after or lower max-upload-duration.");
        }
    }

    static void check(long maxFileBytes, long requestLimit) {
        if (requestLimit < maxFileBytes + MultipartUpload.FORM_BYTES) {
            throw new IllegalStateException("postgate.publish.media.max-bytes (" + maxFileBytes + " bytes, POSTGATE_MEDIA_MAX_BYTES) needs"
                    + " the request limit of " + MediaResource.PATH + " (" + requestLimit + " bytes, POSTGATE_MEDIA_MAX_REQUEST_BYTES) to be at least "
                    + (maxFileBytes + MultipartUpload.FORM_BYTES) + " bytes, room for the form around the file; raise the request limit or lower max-bytes.");
        }
    }
}
