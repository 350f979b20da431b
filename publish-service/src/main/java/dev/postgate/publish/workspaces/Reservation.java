package dev.postgate.publish.workspaces;

/** Credits held for work that has not happened yet; {@code balance} is the workspace's balance after the hold. */
public record Reservation(String id, long balance) {

    /** The state of a reservation after settle or refund, with the workspace's balance then. */
    public record Outcome(String id, String status, long balance) {
    }
}
