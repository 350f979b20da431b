package dev.postgate.publish.media;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import dev.postgate.common.http.HttpEdge;
import io.quarkus.runtime.StartupEvent;

/**
 * At start, the file limit ({@code postgate.publish.media.max-bytes}) must fit under the request
 * limit of the upload path ({@code postgate.http.body-limits."/api/v1/media"}) with room for the
 * form around the file: otherwise a file the limit allows is cut off by the request limit, with a 413 that
 * names the request limit instead of the file limit. The service refuses to start rather than
 * answer that.
 */
@ApplicationScoped
public class MediaLimitCheck {
    /** Room for the form around the file: boundaries, each part's headers and the name field. */
    static final long FORM_BYTES = 64 * 1024;

    @Inject
    MediaConfig config;

    @Inject
    HttpEdge edge;

    void check(@Observes StartupEvent event) {
        check(config.maxBytes(), edge.limitFor(MediaResource.PATH));
    }

    static void check(long maxFileBytes, long requestLimit) {
        if (requestLimit < maxFileBytes + FORM_BYTES) {
            throw new IllegalStateException("postgate.publish.media.max-bytes (" + maxFileBytes + " bytes, POSTGATE_MEDIA_MAX_BYTES) needs"
                    + " the request limit of " + MediaResource.PATH + " (" + requestLimit + " bytes, POSTGATE_MEDIA_MAX_REQUEST_BYTES) to be at least "
                    + (maxFileBytes + FORM_BYTES) + " bytes, room for the form around the file; raise the request limit or lower max-bytes.");
        }
    }
}
