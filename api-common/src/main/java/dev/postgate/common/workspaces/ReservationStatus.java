package dev.postgate.common.workspaces;

import dev.postgate.common.wire.WireName;
import dev.postgate.common.wire.WireNames;

/**
 * A credit reservation's status (SPEC section 7) as workspace-service stores and answers it, and
 * as the services that hold credits read it: only a reserved one still holds them.
 */
public enum ReservationStatus implements WireName {
    RESERVED, SETTLED, REFUNDED;

    /** The status as stored. */
    public static ReservationStatus of(String wire) {
        return WireNames.of(ReservationStatus.class, wire);
    }
}
