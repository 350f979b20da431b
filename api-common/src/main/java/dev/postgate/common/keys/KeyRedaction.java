package dev.postgate.common.keys;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A key is never echoed (SPEC section 2): whatever a caller sent that looks like one, of any brand,
 * whole or cut short, is taken out of the text of an answer before it leaves (an error message
 * that quotes a path or a value, a request id).
 */
public final class KeyRedaction {
    /**
     * The secret-scanning shape of SPEC section 2 without its fixed brand and length. It starts
     * where a run of letters and digits starts, so a long run without a key is read once.
     */
    private static final Pattern KEY_LIKE = Pattern.compile("(?<![0-9A-Za-z])[0-9A-Za-z]*_(?:" + KeyFormat.modes() + ")"
            + KeyFormat.SECRET_MARK + "[0-9A-Za-z]*");
    static final String REDACTED = "[key redacted]";

    private KeyRedaction() {
    }

    /**
     * A key of any brand with at least its random part (SPEC section 2: the checksum after it is
     * computed from what comes before, so the random part is the whole secret), whatever follows.
     * It starts where a run of letters and digits starts, so a long run without a key is read once.
     */
    private static final Pattern WHOLE_KEY = Pattern.compile("(?<![0-9A-Za-z])[0-9A-Za-z]+_(?:" + KeyFormat.modes() + ")"
            + KeyFormat.SECRET_MARK + "[0-9A-Za-z]{" + KeyFormat.RANDOM_LENGTH + ",}");

    /** Whether the text holds a whole key's secret (not only something that starts like a key). */
    public static boolean holdsAWholeKey(String text) {
        return text != null && text.contains(KeyFormat.SECRET_MARK) && WHOLE_KEY.matcher(text).find();
    }

    public static boolean looksLikeAKey(String text) {
        return text != null && KEY_LIKE.matcher(text).find();
    }

    public static String redact(String text) {
        return looksLikeAKey(text) ? KEY_LIKE.matcher(text).replaceAll(REDACTED) : text;
    }

    /** The same value with every string in it (map values, list items) redacted. */
    public static Object redactAll(Object value) {
        if (value instanceof String text) {
            return redact(text);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, redactAll(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(KeyRedaction::redactAll).toList();
        }
        return value;
    }
}
