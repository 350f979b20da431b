package dev.postgate.keyclient;

import java.time.Instant;

import dev.postgate.common.workspaces.ReservationStatus;

/**
 * Credits held for work that has not happened yet; {@code balance} is the workspace's balance
 * after the hold, {@code expiresAt} when workspace-service gives them back unless settled, and
 * {@code status} the reservation's status now (a replayed reserve may find it refunded).
 */
public record Reservation(String id, long balance, Instant expiresAt, String status) {
    /**
     * Until when the credits are held: {@code expiresAt} (workspace-service's wall clock), or the
     * wall clock's now when the reservation is closed already; callers compare it with the wall
     * clock ({@code Instant.now()}), never with their service's movable {@code TimeSource}.
     */
    public Instant heldUntil() {
        return ReservationStatus.RESERVED.wire().equals(status) ? expiresAt : Instant.now();
    }

    /** The state of a reservation after settle or refund, with the workspace's balance then. */
    public record Outcome(String id, String status, long balance) {
    }
}
