package dev.postgate.publish.media;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Where media bytes live. The default keeps them in PostgreSQL, in chunks
 * ({@link DatabaseMediaStorage}); an object store plugs in as another bean of this type (a bean
 * that is not {@code @DefaultBean} replaces the default). Each media row records the storage's
 * {@link #name()}.
 */
public interface MediaStorage {

    String name();

    /**
     * Starts storing a file whose bytes arrive in pieces (an upload as it streams). Nothing is
     * visible until its media row is committed; a file that is never committed is aborted (or,
     * after a crash, swept by the storage).
     */
    Writer begin(String mediaId);

    /** A file being written, piece by piece, in order. */
    interface Writer {
        /** Appends the next bytes; the storage decides how it cuts them into what it stores. */
        Uni<Void> write(byte[] bytes);

        /** All bytes have been written. */
        Uni<Void> finish();

        /** Forgets what was written (the upload was refused, or replayed). */
        Uni<Void> abort();
    }

    /** Stores the bytes of a new file at once (a generated file); called inside the transaction that records its metadata. */
    Uni<Void> store(String mediaId, byte[] bytes);

    /**
     * The file's {@code size} bytes, piece by piece, each piece read when the one before has been
     * taken (a download sends them as its client takes them, holding no more than a piece or two in
     * memory); it ends when one more piece is asked for after the last, so once the last has been
     * taken too. Fails with 404 NOT_FOUND when a piece is gone before {@code size} bytes have come
     * (the file was deleted meanwhile): a download cut short is never a whole answer. Pieces that
     * hold other than {@code size} bytes fail the download ({@code MediaService} counts them: the
     * download has already said that length).
     */
    Multi<byte[]> read(String mediaId, long size);

    /** Removes the bytes; called inside the transaction that deletes the metadata. */
    Uni<Void> delete(String mediaId);
}
