package dev.postgate.publish.publishing;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.postgate.publish.lease.Leased;

/** One post on one social account: its own publication state, credit reservation and result. */
@Entity
@Table(name = "post_targets")
public class PostTarget extends Leased {
    @Id
    public String id;

    @Column(nullable = false)
    public String postId;

    @Column(nullable = false)
    public String accountId;

    /** Position in the post's account list, for a stable order of results. */
    @Column(nullable = false)
    public int position;

    public String platform;

    public String accountName;

    @Column(nullable = false)
    public String state;

    /** The post's publish attempt this target belongs to (part of its idempotency keys). */
    @Column(nullable = false)
    public int attempt;

    public String reservationId;

    /** When the reservation runs out (workspace-service refunds it then); the target is not sent on it after that. */
    public Instant reservationExpiresAt;

    /** How many times the credits were reserved again because the reservation ran out. */
    @Column(nullable = false)
    public int reservationRenewals;

    /** The connector that sent it (for analytics). */
    public String connector;

    public String externalId;

    public String error;

    public Instant attemptedAt;

    /**
     * The key of this target's platform calls when they were given up without an answer (the
     * platform may have posted it): a retry calls the platform under it again. Null otherwise.
     */
    public String unansweredDeliveryKey;

    @Column(nullable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public Instant updatedAt;

    public TargetState targetState() {
        return TargetState.of(state);
    }

    public void targetState(TargetState next) {
        state = next.wire();
    }

    /** The key of this target's credit reservation in this attempt, and of its platform call unless {@link #deliveryKey()} says otherwise. */
    public String idempotencyKey() {
        return postId + ":" + accountId + ":" + attempt;
    }

    /**
     * The key of this target's platform call: this attempt's key, or the key of an earlier
     * attempt's calls that were given up unanswered, so that the platform does not post it twice.
     */
    public String deliveryKey() {
        return unansweredDeliveryKey != null ? unansweredDeliveryKey : idempotencyKey();
    }
}
