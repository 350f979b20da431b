package dev.postgate.common.wire;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The wire-name rule, and each {@link WireName} enum's constants by wire name, built once per enum. */
final class WireNames {
    private WireNames() {
    }

    static final ClassValue<Map<String, Object>> BY_WIRE = new ClassValue<>() {
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

    /** A constant's name in lower case, on a machine of any locale. */
    static String of(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
