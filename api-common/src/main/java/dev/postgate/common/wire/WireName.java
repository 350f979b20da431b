package dev.postgate.common.wire;

/**
 * An enum that clients, the database, events and tokens see as its name in lower case
 * ({@code PARTIALLY_FAILED} is {@code partially_failed}), the same on a machine of any locale (a
 * Turkish one would otherwise write {@code publıshıng}).
 */
public interface WireName {
    /** The constant's name: {@link Enum#name()}. */
    String name();

    default String wire() {
        return WireNames.of(name());
    }

    /** The constant of {@code type} written {@code wire}, or null when there is none (one map read). */
    static <E extends Enum<E> & WireName> E find(Class<E> type, String wire) {
        return wire == null ? null : type.cast(WireNames.BY_WIRE.get(type).get(wire));
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
