package dev.postgate.common.keys;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** {@code live} keys spend credits and reach the configured connectors; {@code test} keys use the sandbox for free. */
public enum KeyMode {
    LIVE, TEST;

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }

    @JsonCreator
    public static KeyMode fromWire(String value) {
        for (KeyMode mode : values()) {
            if (mode.wire().equals(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("mode must be 'live' or 'test'");
    }
}
