package dev.postgate.keys.receipts;

import dev.postgate.common.wire.WireName;

/** A revocation receipt's status (SPEC section 6): every expected instance applied the change, or not yet. */
public enum ReceiptStatus implements WireName {
    CONFIRMED, PARTIAL
}
