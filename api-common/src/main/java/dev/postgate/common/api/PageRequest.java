package dev.postgate.common.api;

import java.util.List;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

/**
 * {@code ?limit=} (1–100, default 20) and {@code ?cursor=}; bad values are 400 VALIDATION_FAILED,
 * and so is a cursor another list gave.
 */
public record PageRequest(int limit, String afterId) {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    /** A page of a list of {@code idType} items ({@link Ids}' prefixes). */
    public static PageRequest of(String limit, String cursor, String idType) {
        int parsed = (int) QueryNumbers.wholeNumber("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT, "a whole number");
        String after = cursor == null || cursor.isEmpty() ? null : Cursor.decode(cursor, idType);
        return new PageRequest(parsed, after);
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
