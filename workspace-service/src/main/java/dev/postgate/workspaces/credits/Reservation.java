package dev.postgate.workspaces.credits;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.postgate.common.workspaces.ReservationStatus;

/**
 * Credits held for work a service is doing: reserved (the balance already went down), then
 * settled when the work succeeded or refunded when it failed or timed out, exactly once.
 */
@Entity
@Table(name = "credit_reservations")
public class Reservation {
    @Id
    public String id;

    @Column(nullable = false)
    public String workspaceId;

    @Column(nullable = false)
    public String orgId;

    @Column(nullable = false)
    public long amount;

    @Column(nullable = false)
    public String status;

    @Column(nullable = false, unique = true)
    public String idempotencyKey;

    @Column
    public String reference;

    /** The balance right after the reservation: what the reserve answer (and its replays) show. */
    @Column(nullable = false)
    public long balanceAfter;

    /** What a settle kept (the rest was refunded); null until settled. */
    public Long settledAmount;

    @Column(nullable = false)
    public String actor;

    @Column(nullable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public Instant expiresAt;

    @Column(nullable = false)
    public Instant updatedAt;

    public ReservationStatus reservationStatus() {
        return ReservationStatus.of(status);
    }

    public void reservationStatus(ReservationStatus next) {
        status = next.wire();
    }
}
