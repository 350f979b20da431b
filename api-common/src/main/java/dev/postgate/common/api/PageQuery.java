package dev.postgate.common.api;

import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * A list endpoint's {@code ?limit=} and {@code ?cursor=}, declared and documented once: a resource
 * takes it as {@code @BeanParam PageQuery query} and reads {@link #page(String)} where its checks begin.
 * Both stay text here so that a bad value is our 400 VALIDATION_FAILED, not the framework's 404.
 */
public class PageQuery {
    @QueryParam("limit")
    @Parameter(description = "Items per page, 1 to " + PageRequest.MAX_LIMIT + " (default " + PageRequest.DEFAULT_LIMIT
            + "); another value is 400 VALIDATION_FAILED.", schema = @Schema(type = SchemaType.INTEGER, format = "int32",
                    minimum = "1", maximum = "" + PageRequest.MAX_LIMIT, defaultValue = "" + PageRequest.DEFAULT_LIMIT))
    String limit;

    @QueryParam("cursor")
    @Parameter(description = "meta.next_cursor of the previous page; a bad cursor is 400 VALIDATION_FAILED.")
    String cursor;

    /**
     * The page asked for of a list of {@code idType} items ({@link Ids}' prefixes); 400
     * VALIDATION_FAILED for a limit outside 1-100 or a cursor this list did not give.
     */
    public PageRequest page(String idType) {
        return PageRequest.of(limit, cursor, idType);
    }

    /**
     * As {@link #page(String)}, for one of several lists of {@code idType} items: {@code list}
     * names it (a parent's id, a kind), and a cursor another of them gave is 400.
     */
    public PageRequest page(String idType, String list) {
        return PageRequest.of(limit, cursor, idType, list);
    }
}
