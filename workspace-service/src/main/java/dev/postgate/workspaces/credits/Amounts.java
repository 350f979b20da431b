package dev.postgate.workspaces.credits;

import java.math.BigDecimal;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.postgate.common.errors.ValidationException.FieldError;

/**
 * Credit amounts as JSON sends them. Taken as a tree, so that 1.5, 1e3, "10", true, a negative
 * or an enormous number are each told apart and refused (422 naming the field) instead of being
 * rounded, coerced or overflowed.
 */
final class Amounts {
    private Amounts() {
    }

    /** A whole number from 1 to {@code max}; null (with an error added) otherwise. */
    static Long whole(String field, JsonNode value, long max, List<FieldError> errors) {
        String rule = field + " must be a whole number from 1 to " + max + ".";
        if (value == null || value.isNull() || value.isMissingNode()) {
            errors.add(new FieldError(field, field + " is required: " + rule));
            return null;
        }
        if (!value.isNumber()) {
            errors.add(new FieldError(field, rule + " Send a JSON number, not " + describe(value) + "."));
            return null;
        }
        if ((value.isDouble() || value.isFloat()) && !Double.isFinite(value.doubleValue())) {
            errors.add(new FieldError(field, rule));
            return null;
        }
        BigDecimal number = value.decimalValue();
        if (number.signum() > 0 && number.stripTrailingZeros().scale() > 0) {
            errors.add(new FieldError(field, rule + " Fractions of a credit do not exist."));
            return null;
        }
        if (number.compareTo(BigDecimal.ONE) < 0 || number.compareTo(BigDecimal.valueOf(max)) > 0) {
            errors.add(new FieldError(field, rule));
            return null;
        }
        return number.longValueExact();
    }

    private static String describe(JsonNode value) {
        if (value.isTextual()) {
            return "a string";
        }
        if (value.isBoolean()) {
            return "true or false";
        }
        return value.isArray() ? "a list" : "an object";
    }
}
