package dev.postgate.workspaces;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.postgate.common.errors.ValidationException;

/**
 * Bodies read as JSON trees, where a field's absence, its null and its type must be told apart
 * (partial updates, credit amounts). Same rules as the typed bodies: an unknown field is 422
 * naming it, a value of the wrong JSON type is 400 naming it.
 */
public final class JsonFields {
    private JsonFields() {
    }

    /** The fields of an object body (empty for no body); anything but an object is 400. */
    public static Map<String, JsonNode> of(JsonNode body, Set<String> known) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return Map.of();
        }
        if (!body.isObject()) {
            throw ValidationException.badRequest("The request body must be a JSON object.");
        }
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!known.contains(field.getKey())) {
                throw ValidationException.invalid(field.getKey(), "Unknown field '" + field.getKey() + "'.");
            }
            fields.put(field.getKey(), field.getValue());
        }
        return fields;
    }

    /** A text field: null when absent or null, 400 when of another type. */
    public static String text(Map<String, JsonNode> fields, String name) {
        JsonNode value = fields.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ValidationException.badRequest(name, "Field '" + name + "' must be a string.");
        }
        return value.textValue();
    }
}
