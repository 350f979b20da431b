package dev.postgate.common.errors;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * VALIDATION_FAILED: 400 for what cannot be read at all (malformed JSON, wrong types, bad query
 * values), 422 for well-formed but invalid values, with {@code fields: [{field, message}]}.
 */
public class ValidationException extends ApiException {

    public record FieldError(String field, String message) {
    }

    /** At most this many fields are named in one answer: the first ones, the message counting them all. */
    public static final int MAX_FIELDS = 20;

    private ValidationException(int status, String message, List<FieldError> fields) {
        super(status, "VALIDATION_FAILED", message);
        detail("fields", fields.stream().map(ValidationException::asMap).toList());
    }

    private static Map<String, String> asMap(FieldError error) {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("field", error.field());
        map.put("message", error.message());
        return map;
    }

    public static ValidationException badRequest(String field, String message) {
        return new ValidationException(400, message, List.of(new FieldError(field, message)));
    }

    public static ValidationException badRequest(String message) {
        return new ValidationException(400, message, List.of());
    }

    /** 422 for an invalid value no field of the request can be named for ({@code fields} is empty). */
    public static ValidationException invalid(String message) {
        return new ValidationException(422, message, List.of());
    }

    public static ValidationException invalid(String field, String message) {
        return new ValidationException(422, message, List.of(new FieldError(field, message)));
    }

    public static ValidationException invalid(List<FieldError> fields) {
        if (fields.size() > MAX_FIELDS) {
            return new ValidationException(422, "The request has " + fields.size() + " invalid fields; error.fields names the first "
                    + MAX_FIELDS + ".", fields.subList(0, MAX_FIELDS));
        }
        String message = fields.size() == 1 ? fields.get(0).message()
                : "The request has " + fields.size() + " invalid fields: see error.fields.";
        return new ValidationException(422, message, fields);
    }
}
