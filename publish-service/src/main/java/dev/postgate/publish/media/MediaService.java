package dev.postgate.publish.media;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.postgate.common.api.Ids;
import dev.postgate.common.api.Page;
import dev.postgate.common.api.PageRequest;
import dev.postgate.common.auth.Caller;
import dev.postgate.common.errors.ApiException;
import dev.postgate.common.errors.ConflictException;
import dev.postgate.common.errors.NotFoundException;
import dev.postgate.common.errors.QuotaExceededException;
import dev.postgate.common.errors.SimpleErrors;
import dev.postgate.common.errors.ValidationException;
import dev.postgate.common.hash.Sha256;
import dev.postgate.common.time.TimeSource;
import dev.postgate.common.validation.Text;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Media of a workspace: uploads (received by {@link MediaUploads}; type from the bytes; within the
 * workspace's storage quota), generated files, reads and deletion.
 */
@ApplicationScoped
public class MediaService {

    @Inject
    TimeSource time;

    @Inject
    MediaRepository media;

    @Inject
    MediaStorage storage;

    /** The API document's 413 of an upload ({@link dev.postgate.common.api.Answers#tooLarge}). */
    public static final String UPLOAD_OVER_QUOTA = "PAYLOAD_TOO_LARGE: the file would take the workspace's media past its storage "
            + "quota (error.quota, error.used)";
    /** The API document's 429 of an upload over the workspace's cap ({@link TransferSlots}). */
    public static final String UPLOADS_IN_PROGRESS = "RATE_LIMITED: the workspace already has as many uploads in progress on this "
            + "instance as it may (postgate.publish.media.concurrent-uploads-per-workspace; Retry-After)";
    /** The API document's 429 of a download over the workspace's cap ({@link TransferSlots}). */
    public static final String DOWNLOADS_IN_PROGRESS = "RATE_LIMITED: the workspace already has as many downloads in progress on "
            + "this instance as it may (postgate.publish.media.concurrent-downloads-per-workspace; Retry-After)";
    /** The API document's 413 of an image or video generation. */
    public static final String FREE_GENERATION_OVER_QUOTA = "PAYLOAD_TOO_LARGE: a test-mode key's generation (free, unlike a live "
            + "key's) would take the workspace's media past its storage quota (error.quota, error.used)";

    @Inject
    MediaConfig config;

    @Inject
    MediaUsers users;

    @Inject
    TransferSlots slots;

    /**
     * The bytes the workspace keeps in media; 413 with {@code quota} and {@code used} when it has
     * no room left at all, so that an upload is refused before its body is read.
     */
    @WithSession
    public Uni<Long> checkRoom(Caller caller) {
        return usedBelowQuota(caller, used -> quotaExceeded(config.workspaceQuotaBytes(), used, 0));
    }

    /**
     * 413 with {@code quota} and {@code used} when the workspace has no room left for a file that
     * a test-mode generation would store: it costs no credits, so, as uploads are, its files are
     * kept within the quota (a paid generation's file is stored whatever the quota). Checked before
     * the provider runs, so that a full workspace does not make it work; the file itself is measured
     * when it is stored ({@link #saveGenerated}).
     */
    @WithSession
    public Uni<Long> checkRoomForFreeGeneration(Caller caller) {
        return usedBelowQuota(caller, used -> freeGenerationRefused(config.workspaceQuotaBytes(), used,
                "The workspace's media is at its storage quota of " + config.workspaceQuotaBytes() + " bytes (" + used
                        + " bytes used)"));
    }

    private Uni<Long> usedBelowQuota(Caller caller, LongFunction<ApiException> refusal) {
        return media.bytesUsed(caller.workspaceId()).invoke(used -> {
            if (used >= config.workspaceQuotaBytes()) {
                throw refusal.apply(used);
            }
        });
    }

    /**
     * Records an upload whose bytes are already in storage under {@code mediaId}. The workspace's
     * quota is checked again under its storage lock, so that uploads finishing at the same time
     * cannot pass it together.
     */
    @WithTransaction
    public Uni<Media> recordUpload(Caller caller, String mediaId, String name, MultipartUpload.Result upload) {
        return lockRoomFor(caller.workspaceId(), upload.size(), used -> quotaExceeded(config.workspaceQuotaBytes(), used, upload.size()))
                .chain(() -> media.persist(newMedia(mediaId, caller.orgId(), caller.workspaceId(), name, upload.contentType(),
                        upload.size(), upload.sha256(), MediaOrigin.UPLOAD, caller.actor())));
    }

    /**
     * Takes the workspace's storage lock (held until the transaction ends), then refuses
     * {@code adding} bytes past its quota with {@code refusal}'s exception (of the bytes used).
     */
    private Uni<Void> lockRoomFor(String workspaceId, long adding, LongFunction<ApiException> refusal) {
        return media.lockWorkspaceStorage(workspaceId).chain(() -> media.bytesUsed(workspaceId)).invoke(used -> {
            if (used + adding > config.workspaceQuotaBytes()) {
                throw refusal.apply(used);
            }
        }).replaceWithVoid();
    }

    /**
     * Stores a generated file; call inside the generation's transaction. A {@code free} one (a
     * test-mode generation's) must fit the workspace's quota, measured under its storage lock as an
     * upload's is: 413 with {@code quota} and {@code used} if it does not.
     */
    public Uni<Media> saveGenerated(String orgId, String workspaceId, String name, String contentType, byte[] bytes,
            String actor, boolean free) {
        long quota = config.workspaceQuotaBytes();
        Uni<Void> room = !free ? Uni.createFrom().voidItem()
                : lockRoomFor(workspaceId, bytes.length, used -> freeGenerationRefused(quota, used, "The generated file ("
                        + bytes.length + " bytes) would take the workspace's media past its storage quota of " + quota + " bytes ("
                        + used + " bytes used)"));
        return room.chain(() -> save(orgId, workspaceId, name, contentType, bytes, MediaOrigin.GENERATED, actor));
    }

    private static ApiException freeGenerationRefused(long quota, long used, String why) {
        return new QuotaExceededException(quota, used, why + ", and a test-mode generation stores its file there. Delete media to make room.");
    }

    private Uni<Media> save(String orgId, String workspaceId, String name, String contentType, byte[] bytes, MediaOrigin origin,
            String actor) {
        Media file = newMedia(Ids.newId(Ids.MEDIA), orgId, workspaceId, name, contentType, bytes.length, Sha256.hex(bytes), origin, actor);
        return media.persist(file).call(saved -> storage.store(saved.id, bytes));
    }

    private Media newMedia(String id, String orgId, String workspaceId, String name, String contentType, long size, String sha256,
            MediaOrigin origin, String actor) {
        Media file = new Media();
        file.id = id;
        file.orgId = orgId;
        file.workspaceId = workspaceId;
        file.name = name;
        file.contentType = contentType;
        file.size = size;
        file.sha256 = sha256;
        file.origin = origin.wire();
        file.storage = storage.name();
        file.createdBy = actor;
        file.createdAt = time.now();
        return file;
    }

    @WithSession
    public Uni<Page<Media>> list(Caller caller, PageRequest page) {
        return media.page(caller.orgId(), caller.workspaceId(), page).map(rows -> Page.of(rows, page, m -> m.id));
    }

    @WithSession
    public Uni<Media> get(Caller caller, String id) {
        return media.findInWorkspace(caller.orgId(), caller.workspaceId(), id)
                .onItem().ifNull().failWith(() -> new NotFoundException("Media " + id));
    }

    /**
     * The file's metadata and bytes; the bytes take one of the workspace's download slots while they
     * are sent (429 when none is free: {@link TransferSlots}). A download whose client takes no
     * piece for {@code postgate.publish.media.download-stall-limit} is cut off (its connection closed).
     */
    @WithSession
    public Uni<Content> content(Caller caller, String id) {
        // The slot is taken when the bytes are asked for, and given back however the download ends: its
        // last piece taken by the client, a failure, the client gone, or the client taking no piece in time.
        return get(caller, id).map(file -> new Content(file, Multi.createFrom().deferred(() -> {
            TransferSlots.Slot slot = slots.acquire(TransferSlots.Transfer.DOWNLOAD, file.workspaceId);
            return ofSize(file, Multi.createFrom().deferred(() -> storage.read(file.id, file.size)))
                    .ifNoItem().after(config.downloadStallLimit()).failWith(() -> SimpleErrors.unavailable(
                            "The download of media " + file.id + " stalled for " + config.downloadStallLimit().toSeconds() + " seconds."))
                    .onTermination().invoke(slot::release);
        })));
    }

    /**
     * The storage's pieces of {@code file}, failing once they hold more than its recorded size, or
     * end with less: its download has already said that length ({@code Content-Length}), so a
     * storage whose bytes disagree with the record cuts the download off rather than send other
     * bytes (which a client on a kept-alive connection would read as the next answer, or wait for).
     */
    static Multi<byte[]> ofSize(Media file, Multi<byte[]> pieces) {
        return Multi.createFrom().deferred(() -> {
            AtomicLong read = new AtomicLong();
            return pieces.onItem().invoke(piece -> {
                if (read.addAndGet(piece.length) > file.size) {
                    throw new IllegalStateException("The stored bytes of media " + file.id + " are more than its " + file.size);
                }
            }).onCompletion().call(() -> read.get() == file.size ? Uni.createFrom().voidItem()
                    : Uni.createFrom().failure(new IllegalStateException("The stored bytes of media " + file.id + " ended at "
                            + read.get() + " of its " + file.size)));
        });
    }

    /** A file and its bytes, read as they are sent ({@link MediaStorage#read}). */
    public record Content(Media media, Multi<byte[]> bytes) {
    }

    /**
     * Deletes a file no post still needs (posts not yet published keep theirs: 409). The file is
     * locked first, so a post being stored with it meanwhile is counted once it is stored.
     */
    @WithTransaction
    public Uni<Media> delete(Caller caller, String id) {
        return media.lockInWorkspace(caller.orgId(), caller.workspaceId(), id)
                .onItem().ifNull().failWith(() -> new NotFoundException("Media " + id))
                .call(file -> users.postsThatMayStillPublish(file.workspaceId, file.id).invoke(posts -> {
                    if (posts > 0) {
                        throw new ConflictException("This media is attached to " + posts
                                + " post(s) that may still be published; remove it from them (or delete them) first.");
                    }
                }))
                .call(file -> storage.delete(file.id))
                // A bulk delete, not the entity delete (HR000069 under concurrency, quarkusio/quarkus#41945).
                .call(file -> media.delete("id = ?1", file.id));
    }

    /**
     * The name of an upload sent without one: the file's own name, its last path segment only (RFC
     * 7578 section 4.2: a browser may send a path), cut to {@link Media#MAX_NAME} characters, since
     * the client sent no {@code name} to be refused; "upload" when nothing of it can be a name.
     */
    static String nameOfFile(String fileName) {
        if (fileName == null) {
            return "upload";
        }
        String last = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
        if (last.codePointCount(0, last.length()) > Media.MAX_NAME) {
            last = last.substring(0, last.offsetByCodePoints(0, Media.MAX_NAME));
        }
        return last.isBlank() || Text.Validator.problem(last, Media.MAX_NAME) != null ? "upload" : last;
    }

    /**
     * An upload's name, by the rule of a body's {@code @Text(max = Media.MAX_NAME)} field, kept
     * exactly as sent; "upload" when none was sent (or only blanks).
     */
    static String checkName(String name) {
        if (name == null || name.isBlank()) {
            return "upload";
        }
        String problem = Text.Validator.problem(name, Media.MAX_NAME);
        if (problem != null) {
            throw ValidationException.invalid("name", "name " + problem + ".");
        }
        return name;
    }

    /**
     * 413 QUOTA_EXCEEDED when adding {@code adding} bytes to the {@code used} ones would take the
     * workspace past its quota: checked as an upload's bytes arrive and again when it is recorded.
     */
    static void checkFits(long quota, long used, long adding) {
        if (used + adding > quota) {
            throw quotaExceeded(quota, used, adding);
        }
    }

    private static ApiException quotaExceeded(long quota, long used, long adding) {
        return new QuotaExceededException(quota, used, "This upload would take the workspace's media past its storage quota of "
                + quota + " bytes (" + used + " bytes used, " + adding + " more in this upload). Delete media to make room.");
    }
}
