package dev.postgate.common.workspaces;

/**
 * A credit reservation's status (SPEC section 7) as workspace-service stores and answers it, and
 * as the services that hold credits read it: only a reserved one still holds them.
 */
public final class ReservationStatus {
    public static final String RESERVED = "reserved";
    public static final String SETTLED = "settled";
    public static final String REFUNDED = "refunded";

    private ReservationStatus() {
    }
}
