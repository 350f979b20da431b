package dev.postgate.workspaces.credits;

import java.io.IOException;
import java.math.BigDecimal;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

/**
 * A credit amount as a request body sends it: any JSON number, exactly as written, so that 1.5,
 * 1e3, a negative or an enormous number are each refused by {@link WholeCredits} (422 naming the
 * field) instead of being rounded or overflowed by the reader. Anything but a number ("10", true,
 * a list, an object) is a wrong type: 400, like a wrong type in any other field (SPEC section 4).
 *
 * @param number the JSON number sent
 */
@Schema(type = SchemaType.INTEGER, format = "int64", description = "A whole number of credits.")
@JsonDeserialize(using = Amount.Reader.class)
public record Amount(BigDecimal number) {

    /** The amount once {@link WholeCredits} has accepted it. */
    public long credits() {
        return number.longValueExact();
    }

    /** Reads a JSON number as it was written; another type fails as Jackson's wrong types do (400 naming the field). */
    static final class Reader extends StdDeserializer<Amount> {
        Reader() {
            super(Amount.class);
        }

        @Override
        public Amount deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.currentToken().isNumeric()) {
                return (Amount) context.handleUnexpectedToken(Long.class, parser);
            }
            return new Amount(parser.getDecimalValue());
        }
    }
}
