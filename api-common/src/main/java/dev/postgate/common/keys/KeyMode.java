package dev.postgate.common.keys;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import dev.postgate.common.wire.WireName;
import dev.postgate.common.wire.WireNames;

/** {@code live} keys spend credits and reach the configured connectors; {@code test} keys use the sandbox for free. */
public enum KeyMode implements WireName {
    LIVE, TEST;

    @JsonValue
    @Override
    public String wire() {
        return WireName.super.wire();
    }

    @JsonCreator
    public static KeyMode fromWire(String value) {
        KeyMode mode = WireNames.find(KeyMode.class, value);
        if (mode != null) {
            return mode;
        }
        throw new IllegalArgumentException("mode is " + WireNames.alternatives(KeyMode.class));
    }
}
