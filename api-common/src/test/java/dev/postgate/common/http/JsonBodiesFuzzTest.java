package dev.postgate.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.postgate.common.errors.ValidationException;
import dev.postgate.common.errors.ValidationException.FieldError;
import dev.postgate.common.validation.TextRule;

/**
 * Fuzzes the reading of request bodies: Jackson as every service configures it (application
 * properties plus {@link JsonSettings}) and the text rule ({@link TextRule}). Whatever the bytes,
 * reading either succeeds or fails with Jackson's own exception (which the error mapper turns into
 * 400/422), never with anything else; and the text rule names exactly the fields whose text is
 * refused. Without {@code JAZZER_FUZZ} it runs the committed inputs
 * ({@code JsonBodiesFuzzTestInputs}); bench/README.md tells how to fuzz longer.
 */
public class JsonBodiesFuzzTest {
    static final ObjectMapper MAPPER = mapper();

    /** A body with the shapes the services read: text, lists, numbers, times, maps and nesting. */
    record Body(String name, List<String> accountIds, Long amount, Instant startsAt, Boolean flag, Map<String, Object> extra,
            Nested nested) {
    }

    record Nested(String title, List<Nested> children) {
    }

    /** Jackson as every service configures it (application properties plus {@link JsonSettings}). */
    public static ObjectMapper mapper() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.registerModule(new JavaTimeModule());
        mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        new JsonSettings().customize(mapper);
        return mapper;
    }

    @FuzzTest(maxDuration = "10s")
    void aBodyIsReadOrRefusedCleanlyAndTheTextRuleNamesTheRightFields(byte[] body) {
        List<FieldError> refused = TextRule.violations(MAPPER.getFactory(), body);
        JsonNode tree = readOrNull(body, JsonNode.class);
        if (tree == null) {
            assertTrue(refused.isEmpty(), () -> "a body that is not JSON is left to the reader (400): " + refused);
        } else {
            Set<String> expected = new TreeSet<>();
            refusedFields(tree, "", expected);
            Set<String> named = refused.stream().map(FieldError::field).collect(Collectors.toCollection(TreeSet::new));
            if (refused.size() < ValidationException.MAX_FIELDS) {
                assertEquals(expected, named);
            } else {
                assertTrue(expected.containsAll(named), named::toString);
            }
        }
        for (Class<?> type : List.of(Body.class, Map.class, List.class, String.class)) {
            readOrNull(body, type);
        }
    }

    @Test
    void theTextRuleNamesFieldsLikeTheOtherValidationErrors() {
        String body = "{\"content\": \"a\\u0000\", \"account_ids\": [\"ok\", \"\\uD800\"], \"nested\": {\"title\": \"\\uDC00x\"},"
                + " \"fine\": \"\\uD83D\\uDE00\", \"b\\u0000d\": 1}";
        List<String> fields = TextRule.violations(MAPPER.getFactory(), body.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .stream().map(FieldError::field).toList();
        assertEquals(List.of("content", "account_ids[1]", "nested.title", "b\u0000d"), fields);
    }

    /**
     * A number or a flag sent as text is a wrong type, empty or not. Found by review: Jackson read
     * {@code ""}, {@code " "} and {@code "null"} as null, so a roll's {@code expire_old_in_seconds: ""}
     * ended the old key at once, and {@code "3600"} as 3600.
     */
    @Test
    void aNumberOrAFlagSentAsTextIsAWrongType() {
        for (String value : List.of("\"\"", "\" \"", "\"null\"", "\"3600\"", "\"1.5\"")) {
            assertNull(readOrNull(("{\"amount\": " + value + "}").getBytes(StandardCharsets.UTF_8), Body.class),
                    value);
        }
        for (String value : List.of("\"\"", "\"true\"", "\"false\"")) {
            assertNull(readOrNull(("{\"flag\": " + value + "}").getBytes(StandardCharsets.UTF_8), Body.class),
                    value);
        }
        Body sent = readOrNull("{\"amount\": 3600, \"flag\": true}".getBytes(StandardCharsets.UTF_8), Body.class);
        assertEquals(3600L, sent.amount());
        assertEquals(true, sent.flag());
        Body cleared = readOrNull("{\"amount\": null}".getBytes(StandardCharsets.UTF_8), Body.class);
        assertNull(cleared.amount());
    }

    /** The value, or null when Jackson refuses the bytes; any other failure is a finding. */
    private static <T> T readOrNull(byte[] body, Class<T> type) {
        try {
            return MAPPER.readValue(body, type);
        } catch (IOException e) {
            return null;
        }
    }

    private static void refusedFields(JsonNode node, String path, Set<String> into) {
        if (node.isTextual() && !path.isEmpty() && !TextRule.isAcceptable(node.textValue())) {
            into.add(path);
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                refusedFields(node.get(i), path + "[" + i + "]", into);
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (!TextRule.isAcceptable(field.getKey())) {
                    into.add(fieldPath);
                }
                refusedFields(field.getValue(), fieldPath, into);
            }
        }
    }
}
