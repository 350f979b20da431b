package dev.postgate.common.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.postgate.common.errors.ValidationException;

/**
 * Opaque list cursors. A cursor carries the id of the last item of the previous page (ids sort
 * by creation time, newest first in lists); clients must not build them.
 */
public final class Cursor {
    private static final String VERSION = "v1:";

    private Cursor() {
    }

    public static String encode(String lastId) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((VERSION + lastId).getBytes(StandardCharsets.UTF_8));
    }

    /** The id a cursor points after; a cursor that is not one of ours is 400. */
    public static String decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith(VERSION) && text.length() > VERSION.length() && text.length() < 128
                    && text.substring(VERSION.length()).matches("[a-z]+_[0-9A-Z]+")) {
                return text.substring(VERSION.length());
            }
        } catch (IllegalArgumentException e) {
            // fall through: not base64
        }
        throw invalid();
    }

    /**
     * The id a cursor of a list of {@code idType} items points after ({@link Ids}' prefixes); a
     * cursor that is not one of ours, or that another list gave, is 400.
     */
    public static String decode(String cursor, String idType) {
        String id = decode(cursor);
        if (!id.startsWith(idType + "_")) {
            throw invalid();
        }
        return id;
    }

    /** 400 naming {@code cursor}: one this API did not give, or not for this list. */
    public static ValidationException invalid() {
        return ValidationException.badRequest("cursor", "The cursor is not valid; use meta.next_cursor of the previous page.");
    }
}
