package dev.postgate.publish.publishing;

import java.time.Instant;
import java.util.List;

import dev.postgate.publish.media.MediaFile;

/**
 * A target claimed by this worker (under {@code leaseToken} until {@code leaseUntil}), with what
 * sending it needs: its reservation, until when that holds the credits (null when unknown) and how
 * often it was renewed, the key of its reservation ({@code idempotencyKey}) and of its platform
 * call ({@code deliveryKey}, {@link PostTarget#deliveryKey()}).
 */
public record TargetWork(String targetId, String postId, String workspaceId, String leaseToken, Instant leaseUntil, TargetState state,
        boolean testMode, SocialConnector.Account account, String content, List<MediaFile> media, String reservationId,
        Instant reservationExpiresAt, int reservationRenewals, String idempotencyKey, String deliveryKey, Instant attemptedAt) {

    /** The key of the next reservation made for this target when its reservation ran out. */
    public String renewalKey() {
        return idempotencyKey + ":renewal:" + (reservationRenewals + 1);
    }

    /** The same work on a new reservation. */
    public TargetWork reservedAgain(String id, Instant expiresAt) {
        return new TargetWork(targetId, postId, workspaceId, leaseToken, leaseUntil, state, testMode, account, content, media, id,
                expiresAt, reservationRenewals + 1, idempotencyKey, deliveryKey, attemptedAt);
    }

    /** The same work, its claim kept until {@code until}. */
    public TargetWork claimedUntil(Instant until) {
        return new TargetWork(targetId, postId, workspaceId, leaseToken, until, state, testMode, account, content, media, reservationId,
                reservationExpiresAt, reservationRenewals, idempotencyKey, deliveryKey, attemptedAt);
    }
}
