package dev.postgate.publish.lease;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.LockModeType;
import jakarta.persistence.MappedSuperclass;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

/**
 * A row one worker at a time holds for a while (a post being reserved for, a target being sent,
 * a generation being made): whoever holds the lease's token does the row's next step, and every
 * step first checks the token; once {@link #leaseUntil} has passed, another worker may take the
 * row over. Columns {@code lease_token} and {@code lease_until}.
 */
@MappedSuperclass
public abstract class Leased {
    public Instant leaseUntil;

    public String leaseToken;

    /** A new lease token: a claim's rows share one, written by a statement or by {@link #takeLease(String, Instant)}. */
    public static String newToken() {
        return UUID.randomUUID().toString();
    }

    /** Takes the row under a new token until {@code until}. */
    public void takeLease(Instant until) {
        takeLease(newToken(), until);
    }

    /** Takes the row under {@code token} (shared by the rows one claim took) until {@code until}. */
    public void takeLease(String token, Instant until) {
        leaseToken = token;
        leaseUntil = until;
    }

    /** Keeps the lease, under the same token, until {@code until}. */
    public void extendLease(Instant until) {
        leaseUntil = until;
    }

    /**
     * Row {@code id} of {@code rows}, locked for the caller's transaction, if {@code leaseToken}
     * still holds it; null once another worker has taken it over (the check every step makes first).
     */
    public static <T extends Leased> Uni<T> lockHeld(PanacheRepositoryBase<T, String> rows, String id, String leaseToken) {
        return rows.find("id = :id and leaseToken = :token", Parameters.with("id", id).and("token", leaseToken))
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** Gives the row up: no one holds it. */
    public void giveUpLease() {
        leaseToken = null;
        leaseUntil = null;
    }
}
