package dev.postgate.common.validation;

import org.openapitools.jackson.nullable.JsonNullable;

/**
 * How request bodies read PATCH fields: a field left out stays left out. Text is never changed on
 * the way in (SPEC section 4: stored and echoed exactly).
 */
public final class Fields {
    private Fields() {
    }

    /** A PATCH field as sent; left out when the reader gave null for it. */
    public static <T> JsonNullable<T> sent(JsonNullable<T> field) {
        return field == null ? JsonNullable.undefined() : field;
    }

    /** Whether a PATCH left out every one of {@code fields} (it changes nothing: 422). */
    public static boolean noneSent(JsonNullable<?>... fields) {
        for (JsonNullable<?> field : fields) {
            if (field.isPresent()) {
                return false;
            }
        }
        return true;
    }
}
