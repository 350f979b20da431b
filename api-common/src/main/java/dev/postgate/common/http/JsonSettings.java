package dev.postgate.common.http;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import jakarta.inject.Singleton;

import org.openapitools.jackson.nullable.JsonNullableModule;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;

import dev.postgate.common.time.Instants;
import io.quarkus.jackson.ObjectMapperCustomizer;

/** JSON strictness beyond application properties: 1.5 is not a whole number, 123 is not a string or a time, "5" is not a number. */
@Singleton
public class JsonSettings implements ObjectMapperCustomizer {
    /** After Quarkus' own customizer: its Java time module must not take times back from {@link IsoInstants}. */
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        // PATCH bodies (JsonNullable fields): a field left out is undefined, one sent as null is null.
        mapper.registerModule(new JsonNullableModule());
        // A time is ISO-8601 text with an offset: 1772445600 or true is a wrong type (400), not epoch seconds.
        mapper.registerModule(new SimpleModule("iso-times").addDeserializer(Instant.class, new IsoInstants()));
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        // A field sent twice, or text after the JSON value, is a malformed body (400), never a guess.
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        // {"name": 123} is a wrong type (400), not the string "123".
        for (CoercionInputShape shape : new CoercionInputShape[] { CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean }) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        // {"expire_old_in_seconds": ""} or "3600" is a wrong type (400), not null (no overlap) or 3600; likewise flags.
        for (LogicalType type : new LogicalType[] { LogicalType.Integer, LogicalType.Float, LogicalType.Boolean }) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
    }

    /** Times as ISO-8601 text with an offset ({@code 2026-03-02T10:00:00Z}); anything else is a wrong type. */
    static final class IsoInstants extends StdDeserializer<Instant> {
        IsoInstants() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return (Instant) context.handleUnexpectedToken(Instant.class, parser);
            }
            String text = parser.getText().strip();
            try {
                return Instants.parseWithOffset(text);
            } catch (DateTimeParseException e) {
                return (Instant) context.handleWeirdStringValue(Instant.class, text, "not an ISO-8601 date-time with an offset in the years 0001 to 9999");
            }
        }
    }
}
