package dev.postgate.common.api;

import dev.postgate.common.errors.ValidationException;

/** {@code ?limit=} (1–100, default 20) and {@code ?cursor=}; bad values are 400 VALIDATION_FAILED. */
public record PageRequest(int limit, String afterId) {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    public static PageRequest of(String limit, String cursor) {
        int parsed = DEFAULT_LIMIT;
        if (limit != null) {
            try {
                parsed = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                parsed = -1;
            }
            if (parsed < 1 || parsed > MAX_LIMIT) {
                throw ValidationException.badRequest("limit", "limit must be a whole number from 1 to " + MAX_LIMIT + ".");
            }
        }
        String after = cursor == null || cursor.isEmpty() ? null : Cursor.decode(cursor);
        return new PageRequest(parsed, after);
    }

    /** Rows to fetch: one more than shown, to know whether another page follows. */
    public int fetchSize() {
        return limit + 1;
    }
}
