package dev.postgate.publish.media;

import java.util.concurrent.Executor;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

import dev.postgate.common.api.Ids;
import dev.postgate.common.auth.Caller;
import dev.postgate.common.concurrent.CallerContext;
import dev.postgate.common.errors.SimpleErrors;
import dev.postgate.common.http.HttpEdge;
import dev.postgate.common.http.RequestBodies;
import dev.postgate.common.idempotency.Idempotency;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Receives an upload as it streams (SPEC sections 4 and 6): only once the key has passed does
 * it take one of the workspace's upload slots (429 when none is free) and check that the
 * workspace has room (413 with quota and used when it has none); then it reads the body piece by
 * piece ({@link RequestBodies#stream}), with the request paused while a piece is written to
 * {@link MediaStorage}, so that at most
 * a chunk of the file is in memory. The upload is cut off as soon as it breaks a rule: the request
 * limit of the path, the file limit, the quota, the accepted types, the form's fields, or
 * {@code max-upload-duration}. Once the whole body is in, its Idempotency-Key is claimed with the
 * hash of the form's content, and the file is recorded.
 */
@ApplicationScoped
public class MediaUploads {
    @Inject
    MediaConfig config;

    @Inject
    MediaStorage storage;

    @Inject
    MediaService media;

    @Inject
    TransferSlots slots;

    @Inject
    Idempotency idempotency;

    /** What an upload came to: the recorded file, or the stored answer of the same upload made before. */
    public record Outcome(Media media, Response replay) {
    }

    private record Received(String mediaId, MediaStorage.Writer writer, MultipartUpload.Result upload) {
    }

    public Uni<Outcome> receive(Caller caller, RoutingContext rc) {
        // Refused on its Content-Length, unread, before it takes an upload slot or reads the workspace's quota.
        return RequestBodies.declaredWithin(rc, HttpEdge.limit(rc)).chain(() -> {
            TransferSlots.Slot slot = slots.acquire(TransferSlots.Transfer.UPLOAD, caller.workspaceId());
            Executor request = CallerContext.capture();
            return Uni.createFrom().deferred(() -> idempotency.answeredBefore(rc)
                    // A repeat of a finished upload is replayed (or 409), not measured against the quota its first run used.
                    .chain(answered -> answered ? receiveBody(rc, Long.MAX_VALUE, 0)
                            : media.checkRoom(caller).chain(used -> receiveBody(rc, config.workspaceQuotaBytes(), used)))
                    // Back on the request's own context: the database session of what follows is bound to it.
                    .emitOn(request)
                    .chain(received -> record(caller, rc, received)))
                    .onTermination().invoke(slot::release);
        });
    }

    private Uni<Received> receiveBody(RoutingContext rc, long quota, long used) {
        MultipartUpload upload = MultipartUpload.start(rc.request().getHeader(HttpHeaders.CONTENT_TYPE), config.maxBytes());
        String mediaId = Ids.newId(Ids.MEDIA);
        MediaStorage.Writer writer = storage.begin(mediaId);
        long limit = HttpEdge.limit(rc);
        return RequestBodies.stream(rc, limit, new RequestBodies.Sink<MultipartUpload.Result>() {
            @Override
            public Uni<Void> piece(Buffer piece) {
                upload.feed(piece.getBytes());
                MediaService.checkFits(quota, used, upload.fileBytes());
                return upload.pendingFileBytes() >= config.chunkBytes() ? writer.write(upload.takeFileBytes()) : null;
            }

            @Override
            public Uni<MultipartUpload.Result> end() {
                MultipartUpload.Result result = upload.finish();
                return writer.write(upload.takeFileBytes()).chain(writer::finish).replaceWith(result);
            }
        })
                .ifNoItem().after(config.maxUploadDuration()).failWith(() -> SimpleErrors.requestTimeout(
                        "The upload did not arrive within " + config.maxUploadDuration().toSeconds() + " seconds."))
                .onFailure().call(e -> writer.abort().onFailure().recoverWithNull())
                .map(result -> new Received(mediaId, writer, result));
    }

    private Uni<Outcome> record(Caller caller, RoutingContext rc, Received received) {
        MultipartUpload.Result upload = received.upload();
        return Uni.createFrom().deferred(() -> {
            String name = upload.name() != null && !upload.name().isBlank() ? MediaService.checkName(upload.name())
                    : MediaService.nameOfFile(upload.fileName());
            return idempotency.claimStreamed(rc, upload.formSha256())
                    .chain(replay -> replay != null
                            ? received.writer().abort().replaceWith(new Outcome(null, replay))
                            : media.recordUpload(caller, received.mediaId(), name, upload).map(file -> new Outcome(file, null)));
        }).onFailure().call(e -> received.writer().abort().onFailure().recoverWithNull());
    }
}
