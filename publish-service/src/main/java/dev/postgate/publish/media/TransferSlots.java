package dev.postgate.publish.media;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.postgate.common.errors.RateLimitedException;
import dev.postgate.common.errors.RetryAfter;

/**
 * The caps on the transfers a workspace may have in flight at once on this instance, so that one
 * workspace's slow or abandoned ones cannot tie up the instance: uploads
 * ({@code postgate.publish.media.concurrent-uploads-per-workspace}) and downloads
 * ({@code postgate.publish.media.concurrent-downloads-per-workspace}: a download its client reads
 * slowly, or not at all, holds a piece of its file in memory until it ends). Over a cap 429
 * RATE_LIMITED with Retry-After. Per instance, like the per-key rate limit.
 */
@ApplicationScoped
public class TransferSlots {
    /** What a slot is taken for. */
    public enum Transfer {
        UPLOAD("uploads"),
        DOWNLOAD("downloads");

        private final String plural;

        Transfer(String plural) {
            this.plural = plural;
        }
    }

    /** Slots in use by transfer and workspace ({@code UPLOAD ws_…}). */
    private final ConcurrentMap<String, Integer> inFlight = new ConcurrentHashMap<>();

    @Inject
    MediaConfig config;

    /** A slot held by one transfer; released once, whatever ends the transfer. */
    public final class Slot {
        private final String holder;
        private boolean released;

        private Slot(String holder) {
            this.holder = holder;
        }

        public synchronized void release() {
            if (!released) {
                released = true;
                inFlight.computeIfPresent(holder, (h, count) -> count <= 1 ? null : count - 1);
            }
        }
    }

    /** Takes a slot for a transfer of this workspace, or fails with 429 when the workspace has no free slot for it. */
    public Slot acquire(Transfer transfer, String workspaceId) {
        boolean upload = transfer == Transfer.UPLOAD;
        int cap = upload ? config.concurrentUploadsPerWorkspace() : config.concurrentDownloadsPerWorkspace();
        String holder = transfer + " " + workspaceId;
        boolean[] taken = { false };
        inFlight.compute(holder, (h, count) -> {
            int current = count == null ? 0 : count;
            if (current >= cap) {
                return count;
            }
            taken[0] = true;
            return current + 1;
        });
        if (!taken[0]) {
            Duration wait = upload ? config.uploadRetryAfter() : config.downloadRetryAfter();
            RetryAfter retryAfter = RetryAfter.of(wait);
            throw new RateLimitedException("This workspace already has " + cap + " " + transfer.plural + " in progress. "
                    + retryAfter.sentence() + ", when one has finished.", retryAfter);
        }
        return new Slot(holder);
    }
}
