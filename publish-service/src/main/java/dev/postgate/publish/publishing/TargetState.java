package dev.postgate.publish.publishing;

import java.util.List;
import java.util.stream.Stream;

import dev.postgate.common.wire.WireName;
import dev.postgate.common.wire.WireNames;

/**
 * Where one target (a post on one social account) is in its publication. Every step that talks
 * to the outside world is recorded before and after, so a crash at any point resumes without
 * charging twice or losing a refund:
 * <pre>
 * reserving ─(credits held)─▶ pending ─(claimed)─▶ sending ─(platform answered)─▶ settling ──▶ published
 *                                                                          └──▶ refunding ─▶ failed
 * </pre>
 * Without a reservation (test mode) sending goes straight to published or failed.
 */
public enum TargetState implements WireName {
    RESERVING, PENDING, SENDING, SETTLING, REFUNDING, PUBLISHED, FAILED;

    public static TargetState of(String wire) {
        return WireNames.of(TargetState.class, wire);
    }

    /** The states a worker holds a target in by a lease, as stored: one whose lease ran out is taken up again. */
    public static List<String> leased() {
        return Stream.of(SENDING, SETTLING, REFUNDING).map(TargetState::wire).toList();
    }

    public boolean terminal() {
        return this == PUBLISHED || this == FAILED;
    }

    /** What the results API shows: pending, sending, published or failed. */
    public String visible() {
        return switch (this) {
            case RESERVING, PENDING -> "pending";
            case SENDING, SETTLING, REFUNDING -> "sending";
            case PUBLISHED -> "published";
            case FAILED -> "failed";
        };
    }
}
