package dev.postgate.common.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Valid;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotNull;

import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import dev.postgate.common.errors.ValidationException.FieldError;
import dev.postgate.common.http.JsonBodiesFuzzTest;

/** The three places a body's field is named from give it the same name: {@code items[1].key_id}. */
class FieldPathTest {
    private static final ObjectMapper MAPPER = JsonBodiesFuzzTest.mapper();
    private static final Validator VALIDATOR = Validation.byProvider(HibernateValidator.class).configure()
            .messageInterpolator(new ParameterMessageInterpolator())
            .buildValidatorFactory().getValidator();

    record Item(@NotNull Long keyId) {
    }

    record Batch(List<@Valid Item> items) {
    }

    @Test
    void jacksonsMappingErrorNamesTheFieldAsTheBodyDoes() {
        MismatchedInputException e = assertThrows(MismatchedInputException.class,
                () -> MAPPER.readValue("{\"items\": [{\"key_id\": 1}, {\"key_id\": [true]}]}", Batch.class));
        assertEquals("items[1].key_id", FieldPath.of(e));
    }

    @Test
    void theTextRuleNamesTheFieldOfTheRefusedToken() {
        byte[] body = "{\"items\": [{\"key_id\": 1}, {\"key_id\": \"a\\u0000\"}]}".getBytes(StandardCharsets.UTF_8);
        List<FieldError> refused = TextRule.violations(MAPPER.getFactory(), body);
        assertEquals(List.of("items[1].key_id"), refused.stream().map(FieldError::field).toList());
    }

    @Test
    void aViolationIsNamedInSnakeCaseWithoutTheValidatedCall() {
        Set<ConstraintViolation<Batch>> violations = VALIDATOR.validate(new Batch(List.of(new Item(1L), new Item(null))));
        assertEquals(1, violations.size());
        assertEquals("items[1].key_id", FieldPath.of(violations.iterator().next().getPropertyPath()));
    }

    @Test
    void theBodyItselfIsTheEmptyPath() {
        MismatchedInputException e = assertThrows(MismatchedInputException.class, () -> MAPPER.readValue("[1]", Batch.class));
        assertEquals("", FieldPath.of(e));
    }
}
