package dev.postgate.common.wire;

import java.util.Locale;

/**
 * An enum that clients, the database, events and tokens see as its name in lower case
 * ({@code PARTIALLY_FAILED} is {@code partially_failed}), the same on a machine of any locale (a
 * Turkish one would otherwise write {@code publıshıng}). {@link WireNames} reads it back.
 */
public interface WireName {
    /** The constant's name: {@link Enum#name()}. */
    String name();

    default String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
