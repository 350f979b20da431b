package dev.postgate.common.api;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a list: the envelope puts {@code items} in {@code data} and {@code nextCursor} in
 * {@code meta.next_cursor} (null when nothing follows).
 */
public record Page<T>(List<T> items, String nextCursor) {

    /**
     * Builds a page from rows fetched with {@code limit + 1}: the extra row only tells that more
     * follow, and the cursor points after the last row returned.
     */
    public static <T> Page<T> of(List<T> rows, PageRequest request, Function<T, String> idOf) {
        boolean more = rows.size() > request.limit();
        List<T> shown = more ? rows.subList(0, request.limit()) : rows;
        String next = more ? Cursor.encode(idOf.apply(shown.get(shown.size() - 1)), request.list()) : null;
        return new Page<>(List.copyOf(shown), next);
    }

    /** A list that is never cut into pages: every item, no cursor. */
    public static <R, T> Page<T> whole(List<R> rows, Function<R, T> view) {
        return new Page<>(rows.stream().map(view).toList(), null);
    }

    /** The same page with each item shown as {@code view} (rows to their API views). */
    public <V> Page<V> map(Function<T, V> view) {
        return new Page<>(items.stream().map(view).toList(), nextCursor);
    }
}
