package dev.postgate.common.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;
import org.openapitools.jackson.nullable.JsonNullable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import dev.postgate.common.auth.Role;
import dev.postgate.common.errors.ValidationException;
import dev.postgate.common.http.JsonBodiesFuzzTest;
import dev.postgate.common.keys.KeyMode;
import dev.postgate.common.wire.WireNames;

/**
 * The one way request bodies are read and checked (issue 17): typed records read strictly, PATCH
 * fields that tell "left out" from null, times only as ISO-8601 text with an offset, and Bean
 * Validation's violations as the 422 {@code fields} list, named by JSON path in the order the
 * body declares them.
 */
class RequestBodyRulesTest {
    private static final ObjectMapper MAPPER = JsonBodiesFuzzTest.mapper();
    private static final Validator VALIDATOR = Validation.byProvider(HibernateValidator.class).configure()
            .messageInterpolator(new ParameterMessageInterpolator())
            .addValueExtractor(new PatchedValues())
            .buildValidatorFactory().getValidator();

    record Patch(@NotBlank(message = "cannot be removed") @Text(max = 5) JsonNullable<String> title,
            JsonNullable<Instant> endsAt) {
        Patch {
            title = Fields.sent(title);
            endsAt = Fields.sent(endsAt);
        }
    }

    record Item(@NotNull(message = "is required") Long amount, @NotEmpty(message = "is required") String idempotencyKey) {
    }

    record Batch(@NotBlank(message = "is required") String workspaceId,
            @NotNull(message = "is required") @Size(min = 1, message = "is required") List<@NotNull @Valid Item> items,
            @Text(max = 3) String reference) {
    }

    record Timed(Instant at) {
    }

    record Choice(@OneOf(KeyMode.class) String mode, @OneOf(Role.class) String group) {
    }

    /** An enum's wire names are the one list of a field's values: the check and the message come from it. */
    @Test
    void aOneOfFieldTakesTheEnumsWireNamesAndItsMessageListsThem() {
        assertTrue(VALIDATOR.validate(new Choice("live", "member")).isEmpty());
        assertTrue(VALIDATOR.validate(new Choice(null, null)).isEmpty(), "null passes: @NotNull makes a field required");
        ValidationException e = Violations.invalid(VALIDATOR.validate(new Choice("LIVE", "owner")));
        assertEquals(List.of("mode", "group"), names(e));
        assertEquals(List.of("mode is 'live' or 'test'.", "group is 'admin' or 'member'."), messages(e));
        assertEquals("'admin' or 'member'", WireNames.alternatives(Role.class), "alphabetical, not the ranking of the enum");
        assertEquals(List.of("member", "admin"), WireNames.wires(Role.class));
    }

    @Test
    void aPatchTellsAFieldLeftOutFromOneSentAsNull() throws Exception {
        Patch empty = MAPPER.readValue("{}", Patch.class);
        assertFalse(empty.title().isPresent());
        assertFalse(empty.endsAt().isPresent());
        assertTrue(VALIDATOR.validate(empty).isEmpty(), "a field left out is not validated");

        Patch cleared = MAPPER.readValue("{\"ends_at\": null}", Patch.class);
        assertTrue(cleared.endsAt().isPresent());
        assertNull(cleared.endsAt().get());

        Patch renamed = MAPPER.readValue("{\"title\": \" ab \"}", Patch.class);
        assertEquals(" ab ", renamed.title().get(), "as sent");
        assertTrue(VALIDATOR.validate(renamed).isEmpty());

        assertEquals(List.of("title"), fields(MAPPER.readValue("{\"title\": null}", Patch.class)));
        assertEquals(List.of("title"), fields(MAPPER.readValue("{\"title\": \"   \"}", Patch.class)));
        assertEquals(List.of("title"), fields(MAPPER.readValue("{\"title\": \"toolong\"}", Patch.class)));
    }

    @Test
    void timesAreIsoTextWithAnOffsetAndNothingElse() throws Exception {
        assertEquals(Instant.parse("2026-03-02T08:00:00Z"), MAPPER.readValue("{\"at\": \"2026-03-02T10:00:00+02:00\"}", Timed.class).at());
        assertEquals(Instant.parse("2026-03-02T10:00:00Z"), MAPPER.readValue("{\"at\": \"2026-03-02T10:00:00Z\"}", Timed.class).at());
        assertNull(MAPPER.readValue("{\"at\": null}", Timed.class).at());
        for (String at : List.of("1772445600", "true", "\"2026-03-02T10:00:00\"", "\"2026-03-02\"", "\"soon\"", "[]")) {
            MismatchedInputException e = assertThrows(MismatchedInputException.class,
                    () -> MAPPER.readValue("{\"at\": " + at + "}", Timed.class), at);
            assertEquals("at", e.getPath().get(0).getFieldName(), at);
        }
    }

    @Test
    void violationsNameJsonPathsInTheOrderTheBodyDeclaresThem() throws Exception {
        Batch batch = MAPPER.readValue("{\"items\": [{\"amount\": 1, \"idempotency_key\": \"a\"}, {\"idempotency_key\": \"\"}],"
                + " \"reference\": \"long\"}", Batch.class);
        ValidationException e = Violations.invalid(VALIDATOR.validate(batch));
        assertEquals(422, e.status());
        assertEquals(List.of("workspace_id", "items[1].amount", "items[1].idempotency_key", "reference"), names(e));
        assertEquals("workspace_id is required.", messages(e).get(0));
        assertEquals("reference is at most 3 characters.", messages(e).get(3));
    }

    /** SPEC section 4: apart from its length and an unpaired surrogate, any text is taken as it is, control characters included. */
    @Test
    void textIsRefusedOnlyForItsLengthOrAnUnpairedSurrogate() {
        record Content(@Text(max = 50) String text) {
        }
        assertTrue(VALIDATOR.validate(new Content("a\nb\r\n\tc\u0007\u001b\u007f\u009f  ")).isEmpty());
        assertEquals(1, VALIDATOR.validate(new Content("x".repeat(51))).size());
        assertTrue(VALIDATOR.validate(new Content("\uD83D\uDE00".repeat(50))).isEmpty(), "characters are code points");
        assertEquals(1, VALIDATOR.validate(new Content("a\uD800b")).size(), "an unpaired surrogate");
    }

    private static List<String> fields(Object body) {
        return names(Violations.invalid(VALIDATOR.validate(body)));
    }

    @SuppressWarnings("unchecked")
    private static List<String> names(ValidationException e) {
        return ((List<Map<String, String>>) e.details().get("fields")).stream().map(f -> f.get("field")).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> messages(ValidationException e) {
        return ((List<Map<String, String>>) e.details().get("fields")).stream().map(f -> f.get("message")).toList();
    }
}
