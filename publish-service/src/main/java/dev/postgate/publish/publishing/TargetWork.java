package dev.postgate.publish.publishing;

import java.time.Instant;
import java.util.List;

import dev.postgate.publish.media.MediaFile;
import dev.postgate.publish.posts.TargetState;

/** A target claimed by this worker (until its lease runs out), with what sending it needs. */
public record TargetWork(String targetId, String postId, String workspaceId, String leaseToken, TargetState state,
        boolean testMode, SocialConnector.Account account, String content, List<MediaFile> media, String reservationId,
        String idempotencyKey, Instant attemptedAt) {
}
