package dev.postgate.common.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.postgate.common.client.InternalLimits;
import dev.postgate.common.errors.ValidationException;
import dev.postgate.common.errors.ValidationException.FieldError;

/**
 * Found by review: a list in a body under the size limit could hold hundreds of thousands of
 * items, each checked and named on its own in a 422 of a hundred megabytes (a public endpoint's
 * among them). A list longer than any the API takes is refused whole, and an answer names at most
 * {@link ValidationException#MAX_FIELDS} fields.
 */
class BodyBoundsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<FieldError> violations(String json) {
        return TextRule.violations(JSON.getFactory(), json.getBytes(StandardCharsets.UTF_8));
    }

    private static String list(int items, String item) {
        return "[" + String.join(",", java.util.Collections.nCopies(items, item)) + "]";
    }

    @Test
    void aListLongerThanAnyTheApiTakesIsRefusedWholeNamingIt() {
        int max = TextRule.MAX_LIST_ITEMS;
        assertEquals(List.of(), violations("{\"keys\": " + list(max, "null") + "}"));
        assertEquals(List.of("keys"), violations("{\"keys\": " + list(max + 1, "null") + "}").stream().map(FieldError::field).toList());
        assertEquals(List.of("body"), violations(list(max * 3, "{}")).stream().map(FieldError::field).toList());
        assertEquals(List.of("a.b[1]"), violations("{\"a\": {\"b\": [[], " + list(max + 1, "[1]") + "]}}").stream()
                .map(FieldError::field).toList());
        assertTrue(InternalLimits.USAGE_ITEMS < TextRule.MAX_LIST_ITEMS, "every endpoint's own list limit answers first");
    }

    @Test
    void anAnswerNamesTheFirstFieldsAndCountsThemAll() {
        List<FieldError> many = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            many.add(new FieldError("scopes[" + i + "]", "Unknown scope."));
        }
        ValidationException e = ValidationException.invalid(many);
        List<?> fields = (List<?>) e.details().get("fields");
        assertEquals(ValidationException.MAX_FIELDS, fields.size());
        assertTrue(e.getMessage().contains("500 invalid fields"), e.getMessage());
    }
}
