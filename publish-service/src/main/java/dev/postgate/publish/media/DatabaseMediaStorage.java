package dev.postgate.publish.media;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.DefaultBean;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

/**
 * Media bytes in the service's own schema ({@code media_blobs}, bytea): nothing else to run,
 * and stored in the same transaction as the metadata. Fine for the sizes allowed here; an
 * object store replaces it for large volumes.
 */
@ApplicationScoped
@DefaultBean
public class DatabaseMediaStorage implements MediaStorage, PanacheRepositoryBase<MediaBlob, String> {
    public static final String NAME = "database";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Uni<Void> store(String mediaId, byte[] bytes) {
        MediaBlob blob = new MediaBlob();
        blob.mediaId = mediaId;
        blob.bytes = bytes;
        return persist(blob).replaceWithVoid();
    }

    @Override
    public Uni<byte[]> load(String mediaId) {
        // Joins the caller's session when there is one (a connector may ask outside of any).
        return Panache.withSession(() -> findById(mediaId)).map(blob -> blob == null ? null : blob.bytes);
    }

    @Override
    public Uni<Void> delete(String mediaId) {
        return deleteById(mediaId).replaceWithVoid();
    }
}
