package dev.postgate.common.validation;

import java.util.function.UnaryOperator;

import org.openapitools.jackson.nullable.JsonNullable;

/** How request bodies normalise their fields before they are validated: names and titles lose surrounding blanks. */
public final class Fields {
    private Fields() {
    }

    /** The text without leading and trailing white space; null for null or blank (a field left empty). */
    public static String trimmed(String text) {
        if (text == null) {
            return null;
        }
        String stripped = text.strip();
        return stripped.isEmpty() ? null : stripped;
    }

    /** A PATCH field {@link #trimmed}: left out stays left out (also when the reader gave null for it). */
    public static JsonNullable<String> trimmed(JsonNullable<String> field) {
        return sent(field, Fields::trimmed);
    }

    /** A PATCH field as sent; left out when the reader gave null for it. */
    public static <T> JsonNullable<T> sent(JsonNullable<T> field) {
        return sent(field, UnaryOperator.identity());
    }

    /** A PATCH field as sent, changed by {@code change} when sent; left out when the reader gave null for it. */
    public static <T> JsonNullable<T> sent(JsonNullable<T> field, UnaryOperator<T> change) {
        return field == null || !field.isPresent() ? JsonNullable.undefined() : JsonNullable.of(change.apply(field.get()));
    }
}
