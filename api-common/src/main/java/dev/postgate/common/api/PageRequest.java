package dev.postgate.common.api;

import java.util.List;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

/**
 * {@code ?limit=} (1–100, default 20) and {@code ?cursor=}; bad values are 400 VALIDATION_FAILED,
 * and so is a cursor another list gave.
 */
public record PageRequest(int limit, String afterId, String list) {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    /** A page of the one list of {@code idType} items in the caller's view ({@link Ids}' prefixes). */
    public static PageRequest of(String limit, String cursor, String idType) {
        return of(limit, cursor, idType, null);
    }

    /**
     * A page of the list {@code list} of {@code idType} items ({@link Ids}' prefixes; {@code list}
     * null for the one list of that type in the caller's view, see {@link Cursor}).
     */
    public static PageRequest of(String limit, String cursor, String idType, String list) {
        int parsed = (int) QueryNumbers.wholeNumber("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT, "a whole number");
        String after = cursor == null || cursor.isEmpty() ? null : Cursor.decode(cursor, idType, list);
        return new PageRequest(parsed, after, list);
    }

    /**
     * This page of the rows of {@code repository} that match {@code where} (with {@code params}),
     * newest first (ids sort by creation): those after the cursor's row, one more than the limit
     * ({@link #fetchSize()}).
     */
    public <E> Uni<List<E>> newestFirst(PanacheRepositoryBase<E, ?> repository, String where, Parameters params) {
        String query = where;
        if (afterId != null) {
            query += " and id < :after";
            params.and("after", afterId);
        }
        return repository.find(query + " order by id desc", params).page(0, fetchSize()).list();
    }

    /** Rows to fetch: one more than shown, to know whether another page follows. */
    public int fetchSize() {
        return limit + 1;
    }
}
