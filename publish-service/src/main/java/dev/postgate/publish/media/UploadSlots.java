package dev.postgate.publish.media;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.postgate.common.errors.RateLimitedException;
import dev.postgate.common.errors.RetryAfter;

/**
 * The cap on uploads a workspace may have in flight at once on this instance
 * ({@code postgate.publish.media.concurrent-uploads-per-workspace}; over it 429 RATE_LIMITED with
 * Retry-After), so that one workspace's slow or abandoned uploads cannot tie up the instance.
 * Per instance, like the per-key rate limit.
 */
@ApplicationScoped
public class UploadSlots {
    private final ConcurrentMap<String, Integer> inFlight = new ConcurrentHashMap<>();

    @Inject
    MediaConfig config;

    /** A slot held by one upload; released once, whatever ends the upload. */
    public final class Slot {
        private final String workspaceId;
        private boolean released;

        private Slot(String workspaceId) {
            this.workspaceId = workspaceId;
        }

        public synchronized void release() {
            if (!released) {
                released = true;
                inFlight.computeIfPresent(workspaceId, (ws, count) -> count <= 1 ? null : count - 1);
            }
        }
    }

    /** Takes a slot for an upload to this workspace, or fails with 429 when the workspace has no free slot. */
    public Slot acquire(String workspaceId) {
        int cap = config.concurrentUploadsPerWorkspace();
        boolean[] taken = { false };
        inFlight.compute(workspaceId, (ws, count) -> {
            int current = count == null ? 0 : count;
            if (current >= cap) {
                return count;
            }
            taken[0] = true;
            return current + 1;
        });
        if (!taken[0]) {
            RetryAfter retryAfter = RetryAfter.of(config.uploadRetryAfter());
            throw new RateLimitedException("This workspace already has " + cap + " uploads in progress. " + retryAfter.sentence()
                    + ", when one has finished.", retryAfter);
        }
        return new Slot(workspaceId);
    }
}
