package dev.postgate.workspaces.credits;

import java.math.BigDecimal;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonCreator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A credit amount as a request body sends it. Read from any JSON value, so that 1.5, 1e3, "10",
 * true, a negative or an enormous number are each refused by {@link WholeCredits} (422 naming the
 * field) instead of being rounded, coerced or overflowed by the reader.
 *
 * @param number the JSON number sent, or null when something else was
 * @param sent what was sent, in words ("a number", "a string", …), for the refusal
 */
@Schema(type = SchemaType.INTEGER, format = "int64", description = "A whole number of credits.")
public record Amount(BigDecimal number, String sent) {

    /** The amount once {@link WholeCredits} has accepted it. */
    public long credits() {
        return number.longValueExact();
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static Amount read(JsonNode value) {
        if (value.isNumber() && !((value.isDouble() || value.isFloat()) && !Double.isFinite(value.doubleValue()))) {
            return new Amount(value.decimalValue(), "a number");
        }
        return new Amount(null, value.isTextual() ? "a string" : value.isBoolean() ? "true or false"
                : value.isArray() ? "a list" : value.isNumber() ? "a number" : "an object");
    }
}
