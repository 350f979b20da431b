package dev.postgate.common.wire;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads a {@link WireName} enum's constants back from what they write, by a map built once per enum. */
public final class WireNames {
    private WireNames() {
    }

    private static final ClassValue<Map<String, Object>> BY_WIRE = new ClassValue<>() {
        @Override
        protected Map<String, Object> computeValue(Class<?> type) {
            Map<String, Object> byWire = new HashMap<>();
            for (Object constant : type.getEnumConstants()) {
                // By the constant's own wire(): an enum that overrides it is found by what it writes.
                byWire.put(((WireName) constant).wire(), constant);
            }
            return Map.copyOf(byWire);
        }
    };

    /** What the constants of {@code type} (an enum) write, in their order. */
    public static List<String> wires(Class<? extends WireName> type) {
        return Arrays.stream(type.getEnumConstants()).map(WireName::wire).toList();
    }

    /**
     * The constants of {@code type} as a sentence names them, in alphabetical order whatever the
     * enum's (which may rank them): {@code 'admin' or 'member'}, {@code 'a', 'b' or 'c'}.
     */
    public static String alternatives(Class<? extends WireName> type) {
        return alternatives(wires(type));
    }

    /** {@code wires} as a sentence names them, as {@link #alternatives(Class)} does. */
    public static String alternatives(Collection<String> wires) {
        List<String> quoted = wires.stream().sorted().map(wire -> "'" + wire + "'").toList();
        return quoted.size() == 1 ? quoted.get(0)
                : String.join(", ", quoted.subList(0, quoted.size() - 1)) + " or " + quoted.get(quoted.size() - 1);
    }

    /** The constant of {@code type} written {@code wire}, or null when there is none (one map read). */
    public static <E extends Enum<E> & WireName> E find(Class<E> type, String wire) {
        return wire == null ? null : type.cast(BY_WIRE.get(type).get(wire));
    }

    /** The constant of {@code type} written {@code wire}, as stored by this project (unknown is a defect: 500). */
    public static <E extends Enum<E> & WireName> E of(Class<E> type, String wire) {
        E constant = find(type, wire);
        if (constant == null) {
            throw new IllegalArgumentException("No " + type.getSimpleName() + " is written '" + wire + "'");
        }
        return constant;
    }
}
