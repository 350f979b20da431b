package dev.postgate.common.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.postgate.common.errors.ValidationException;

/**
 * Fuzzes the list cursors ({@link Cursor}), which clients send back in {@code ?cursor=}: whatever
 * the text, decoding gives an id or the 400 {@code VALIDATION_FAILED} of SPEC section 4, never
 * another exception; and any value encoded as a cursor travels in a URL as it is and decodes to
 * that same value when it is an id (a 400 otherwise). Without {@code JAZZER_FUZZ} it runs the
 * committed inputs ({@code CursorFuzzTestInputs}); bench/README.md tells how to fuzz longer.
 */
class CursorFuzzTest {
    /** What a cursor may point after: a type-prefixed id, within the cursor's bound (128 characters with its version). */
    static final Pattern ID = Pattern.compile("[a-z]+_[0-9A-Z]+");
    static final int MAX_ID_LENGTH = 124;

    @FuzzTest(maxDuration = "10s")
    void anyCursorIsAnIdOrA400(byte[] input) {
        String cursor = new String(input, StandardCharsets.UTF_8);
        String lastId = decodeOrNull(cursor);
        if (lastId != null) {
            assertTrue(isId(lastId), lastId);
            assertEquals(lastId, Cursor.decode(Cursor.encode(lastId)));
        }
    }

    @FuzzTest(maxDuration = "10s")
    void anyValueEncodedTravelsInAUrlAsItIsAndDecodesBackWhenItIsAnId(byte[] input) {
        String lastId = new String(input, StandardCharsets.UTF_8);
        String cursor = Cursor.encode(lastId);
        assertEquals(URLEncoder.encode(cursor, StandardCharsets.UTF_8), cursor);
        String decoded = decodeOrNull(cursor);
        if (isId(lastId)) {
            assertEquals(lastId, decoded);
        } else {
            assertEquals(null, decoded, lastId);
        }
    }

    @Test
    void idsOfEveryTypeRoundTrip() {
        for (String prefix : IdsFuzzTest.SPEC_PREFIXES) {
            String id = Ids.newId(prefix);
            assertEquals(id, Cursor.decode(Cursor.encode(id)));
        }
    }

    @Test
    void aCursorIsOnlyForTheListOfItsIdType() {
        String post = Ids.newId(Ids.POST);
        assertEquals(post, Cursor.decode(Cursor.encode(post), Ids.POST));
        for (String other : new String[] { Ids.MEDIA, Ids.POST_TARGET, "posts", "pos" }) {
            ValidationException e = assertThrows(ValidationException.class, () -> Cursor.decode(Cursor.encode(post), other), other);
            assertEquals(400, e.status());
        }
    }

    @Test
    void aCursorOfOneOfSeveralListsOfATypeIsForThatListOnly() {
        String entry = Ids.newId(Ids.LEDGER_ENTRY);
        String cursor = Cursor.encode(entry, "ws_A");
        assertEquals(entry, Cursor.decode(cursor, Ids.LEDGER_ENTRY, "ws_A"));
        assertEquals(entry, Cursor.decode(cursor));
        assertFalse(new String(java.util.Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).contains("ws_A"),
                "the list's name is not in the cursor");
        for (Executable refused : new Executable[] {
                () -> Cursor.decode(cursor, Ids.LEDGER_ENTRY, "ws_B"),
                () -> Cursor.decode(cursor, Ids.LEDGER_ENTRY),
                () -> Cursor.decode(Cursor.encode(entry), Ids.LEDGER_ENTRY, "ws_A"),
                () -> Cursor.decode(cursor, Ids.POST, "ws_A") }) {
            assertEquals(400, assertThrows(ValidationException.class, refused).status());
        }
    }

    static boolean isId(String value) {
        return value.length() <= MAX_ID_LENGTH && ID.matcher(value).matches();
    }

    /** The id, or null when the cursor is refused with 400; any other failure is a finding. */
    private static String decodeOrNull(String cursor) {
        try {
            return Cursor.decode(cursor);
        } catch (ValidationException e) {
            assertEquals(400, e.status());
            assertEquals("VALIDATION_FAILED", e.code());
            return null;
        }
    }
}
