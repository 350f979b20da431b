package dev.postgate.common.api;

import dev.postgate.common.errors.ValidationException;
import dev.postgate.common.wire.WireName;
import dev.postgate.common.wire.WireNames;

/** List filters given in the query ({@code ?status=active}). */
public final class QueryFilters {
    private QueryFilters() {
    }

    /**
     * The constant of {@code type} that {@code value} names; null when the parameter is left out or
     * empty (no filter); otherwise 400 naming {@code parameter} and every value it takes.
     */
    public static <E extends Enum<E> & WireName> E of(Class<E> type, String parameter, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        E constant = WireNames.find(type, value);
        if (constant == null) {
            throw ValidationException.badRequest(parameter, parameter + " is " + WireNames.alternatives(type) + ".");
        }
        return constant;
    }
}
