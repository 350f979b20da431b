package dev.postgate.common.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.postgate.common.errors.ValidationException;
import dev.postgate.common.hash.Sha256;

/**
 * Opaque list cursors. A cursor carries the id of the last item of the previous page (ids sort
 * by creation time, newest first in lists) and, for a list that shares its id type with others
 * (a key's audit log, a post's results, a workspace's ledger, captions beside images), a tag of
 * that list: another list's cursor is 400, not a page of this one. Clients must not build them.
 */
public final class Cursor {
    private static final String VERSION = "v1:";
    private static final Pattern TEXT = Pattern.compile(Pattern.quote(VERSION) + "([a-z]+_[0-9A-Z]+)(?::([0-9a-f]{8}))?");

    private Cursor() {
    }

    public static String encode(String lastId) {
        return encode(lastId, null);
    }

    /** A cursor after {@code lastId} in {@code list} (null: the one list of its id type in the caller's view). */
    public static String encode(String lastId, String list) {
        String text = VERSION + lastId + (list == null ? "" : ":" + tag(list));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The id a cursor points after, whatever list gave it; a cursor that is not one of ours is 400. */
    public static String decode(String cursor) {
        return parse(cursor).group(1);
    }

    /**
     * The id a cursor of a list of {@code idType} items points after ({@link Ids}' prefixes); a
     * cursor that is not one of ours, or that another list gave, is 400.
     */
    public static String decode(String cursor, String idType) {
        return decode(cursor, idType, null);
    }

    /** As {@link #decode(String, String)}, for the list {@code list} ({@link #encode(String, String)}). */
    public static String decode(String cursor, String idType, String list) {
        Matcher parsed = parse(cursor);
        String id = parsed.group(1);
        String tag = parsed.group(2);
        if (!id.startsWith(idType + "_") || !Objects.equals(tag, list == null ? null : tag(list))) {
            throw invalid();
        }
        return id;
    }

    private static Matcher parse(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            Matcher matcher = TEXT.matcher(text);
            if (text.length() < 128 && matcher.matches()) {
                return matcher;
            }
        } catch (IllegalArgumentException e) {
            // fall through: not base64
        }
        throw invalid();
    }

    /** A list's tag: short, and says nothing of the list (its ids are not in the cursor). */
    private static String tag(String list) {
        return Sha256.hex(list).substring(0, 8);
    }

    /** 400 naming {@code cursor}: one this API did not give, or not for this list. */
    public static ValidationException invalid() {
        return ValidationException.badRequest("cursor", "The cursor is not valid; use meta.next_cursor of the previous page.");
    }
}
