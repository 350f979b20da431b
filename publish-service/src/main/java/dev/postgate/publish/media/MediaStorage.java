package dev.postgate.publish.media;

import io.smallrye.mutiny.Uni;

/**
 * Where media bytes live. The default keeps them in PostgreSQL ({@link DatabaseMediaStorage});
 * an object store plugs in as another bean of this type (a bean that is not
 * {@code @DefaultBean} replaces the default). Each media row records the storage's
 * {@link #name()}.
 */
public interface MediaStorage {

    String name();

    /** Stores the bytes of a new media file; called inside the transaction that records its metadata. */
    Uni<Void> store(String mediaId, byte[] bytes);

    /** The bytes, or null when they are gone. */
    Uni<byte[]> load(String mediaId);

    /** Removes the bytes; called inside the transaction that deletes the metadata. */
    Uni<Void> delete(String mediaId);
}
