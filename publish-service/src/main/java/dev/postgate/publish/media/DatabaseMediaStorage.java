package dev.postgate.publish.media;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.postgate.common.errors.NotFoundException;
import dev.postgate.common.scheduling.ScheduledPass;
import io.quarkus.arc.DefaultBean;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Media bytes in the service's own schema, in chunks of at most {@code postgate.publish.media.chunk-bytes}
 * ({@code media_chunks}, bytea): nothing else to run, and shared by every instance. An upload
 * writes its chunks as its bytes arrive (each its own statement, so a slow client holds no
 * transaction), before its media row exists; a generated file is written inside the transaction
 * that records it. Chunks that no media row claims (an upload cut off by a crash) are swept once
 * they are older than {@code postgate.publish.media.abandoned-after}. An object store replaces it
 * for large volumes.
 */
@ApplicationScoped
@DefaultBean
public class DatabaseMediaStorage implements MediaStorage {
    private static final Logger LOG = Logger.getLogger(DatabaseMediaStorage.class);
    public static final String NAME = "database";
    static final int SWEEP_BATCH = 500;
    /** Where {@link #read} ends (a stored chunk is never empty). */
    private static final byte[] END = new byte[0];

    @Inject
    Pool pool;

    @Inject
    MediaConfig config;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Writer begin(String mediaId) {
        return new ChunkWriter(mediaId, config.chunkBytes(), (seq, chunk) -> insert(mediaId, seq, chunk));
    }

    /** Cuts the bytes into chunks of the configured size and writes each as soon as it is full. */
    private final class ChunkWriter implements Writer {
        private final String mediaId;
        private final int chunkBytes;
        private final ChunkInsert insert;
        private ByteArrayOutputStream current = new ByteArrayOutputStream();
        private int seq;

        ChunkWriter(String mediaId, int chunkBytes, ChunkInsert insert) {
            this.mediaId = mediaId;
            this.chunkBytes = chunkBytes;
            this.insert = insert;
        }

        @Override
        public Uni<Void> write(byte[] bytes) {
            Uni<Void> written = Uni.createFrom().voidItem();
            int offset = 0;
            while (offset < bytes.length) {
                int take = Math.min(chunkBytes - current.size(), bytes.length - offset);
                current.write(bytes, offset, take);
                offset += take;
                if (current.size() == chunkBytes) {
                    byte[] chunk = current.toByteArray();
                    current = new ByteArrayOutputStream();
                    int chunkSeq = seq++;
                    written = written.chain(() -> insert.insert(chunkSeq, chunk));
                }
            }
            return written;
        }

        @Override
        public Uni<Void> finish() {
            if (current.size() == 0) {
                return Uni.createFrom().voidItem();
            }
            byte[] chunk = current.toByteArray();
            current = new ByteArrayOutputStream();
            return insert.insert(seq++, chunk);
        }

        @Override
        public Uni<Void> abort() {
            current = new ByteArrayOutputStream();
            return pool.preparedQuery("delete from media_chunks where media_id = $1").execute(Tuple.of(mediaId))
                    .replaceWithVoid();
        }
    }

    /** Writes chunk {@code seq} of a file: through the pool for an upload, in the caller's session for {@link #store}. */
    @FunctionalInterface
    private interface ChunkInsert {
        Uni<Void> insert(int seq, byte[] chunk);
    }

    private Uni<Void> insert(String mediaId, int seq, byte[] chunk) {
        return pool.preparedQuery("insert into media_chunks (media_id, seq, bytes) values ($1, $2, $3)")
                .execute(Tuple.of(mediaId, seq, io.vertx.core.buffer.Buffer.buffer(chunk))).replaceWithVoid();
    }

    @Override
    public Uni<Void> store(String mediaId, byte[] bytes) {
        // Cut into chunks as an upload is; written in the caller's transaction, with the media row.
        return Panache.getSession().chain(session -> {
            ChunkWriter writer = new ChunkWriter(mediaId, config.chunkBytes(), (seq, chunk) -> session
                    .createNativeQuery("insert into media_chunks (media_id, seq, bytes) values (:id, :seq, :bytes)")
                    .setParameter("id", mediaId).setParameter("seq", seq).setParameter("bytes", chunk)
                    .executeUpdate().replaceWithVoid());
            return writer.write(bytes).chain(writer::finish);
        });
    }

    @Override
    public Multi<byte[]> read(String mediaId, long size) {
        // One chunk a statement, in order, each asked for once the last was taken. The stream ends
        // when one more is asked for after size bytes, so after the last has been taken too.
        return Multi.createFrom().deferred(() -> {
            AtomicInteger next = new AtomicInteger();
            AtomicLong left = new AtomicLong(size);
            return Multi.createBy().repeating().uni(() -> {
                if (left.get() <= 0) {
                    return Uni.createFrom().item(END);
                }
                int seq = next.getAndIncrement();
                return pool.preparedQuery("select bytes from media_chunks where media_id = $1 and seq = $2")
                        .execute(Tuple.of(mediaId, seq))
                        .map(rows -> {
                            if (rows.size() == 0) {
                                // Deleted meanwhile: the download fails rather than end early as if whole.
                                throw new NotFoundException("The content of media " + mediaId);
                            }
                            byte[] chunk = rows.iterator().next().getBuffer("bytes").getBytes();
                            left.addAndGet(-chunk.length);
                            return chunk;
                        })
                        .onFailure(e -> seq > 0).invoke(e -> LOG.warnf("A download of media %s stopped at its piece %d: %s",
                                mediaId, seq, e.getMessage()));
            }).until(chunk -> chunk == END);
        });
    }

    @Override
    public Uni<Void> delete(String mediaId) {
        return Panache.getSession().chain(session -> session.createNativeQuery("delete from media_chunks where media_id = :id")
                .setParameter("id", mediaId).executeUpdate()).replaceWithVoid();
    }

    /** Removes chunks no media row claims once they are old enough that no upload can still be writing them. */
    @Scheduled(every = "${postgate.publish.media.sweep-interval}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweepAbandoned() {
        return ScheduledPass.run(sweep(config.abandonedAfter()), LOG, "Sweeping abandoned media chunks");
    }

    Uni<Integer> sweep(Duration olderThan) {
        return pool.preparedQuery("""
                delete from media_chunks where ctid in (
                    select c.ctid from media_chunks c
                     where c.created_at < now() - make_interval(secs => $1)
                       and not exists (select 1 from media m where m.id = c.media_id)
                     limit $2)""")
                .execute(Tuple.of((double) olderThan.toSeconds(), SWEEP_BATCH)).map(r -> r.rowCount())
                .chain(deleted -> deleted < SWEEP_BATCH ? Uni.createFrom().item(deleted)
                        : sweep(olderThan).map(more -> deleted + more));
    }
}
