package dev.postgate.workspaces.credits;

import dev.postgate.common.wire.WireName;

/** What a ledger entry records (SPEC section 7): a grant, a reservation's hold, its settle or a refund. */
public enum LedgerKind implements WireName {
    GRANT, RESERVE, SETTLE, REFUND
}
