package dev.postgate.common.wire;

import java.util.Locale;

/**
 * An enum that clients, the database, events and tokens see as its name in lower case
 * ({@code PARTIALLY_FAILED} is {@code partially_failed}), the same on a machine of any locale (a
 * Turkish one would otherwise write {@code publıshıng}).
 */
public interface WireName {
    /** The constant's name: {@link Enum#name()}. */
    String name();

    default String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant of {@code type} written {@code wire}, or null when there is none. */
    static <E extends Enum<E> & WireName> E find(Class<E> type, String wire) {
        for (E constant : type.getEnumConstants()) {
            if (constant.wire().equals(wire)) {
                return constant;
            }
        }
        return null;
    }

    /** The constant of {@code type} written {@code wire}, as stored by this project (unknown is a defect: 500). */
    static <E extends Enum<E> & WireName> E of(Class<E> type, String wire) {
        E constant = find(type, wire);
        if (constant == null) {
            throw new IllegalArgumentException("No " + type.getSimpleName() + " is written '" + wire + "'");
        }
        return constant;
    }
}
