package dev.postgate.common.testing;

import java.util.List;

/**
 * The text rule of SPEC section 4 in samples: a NUL or a lone surrogate in a JSON string is 422
 * VALIDATION_FAILED naming the field; all other text is stored and echoed exactly.
 */
public final class TextSamples {
    private TextSamples() {
    }

    /** JSON string literals (quotes included) that every service refuses with 422 naming the field. */
    public static final List<String> REFUSED = List.of("\"\\u0000\"", "\"before\\u0000after\"", "\"\\uD800\"",
            "\"x\\uDC00y\"", "\"high at the end \\uD83D\"", "\"\\uDE00\\uD83D reversed pair\"", "\"\\ud800\\ud800\"");

    /**
     * One-line text: a surrogate pair, a combining accent, CJK, bidirectional overrides, a line
     * separator, a zero-width no-break space, quotes and backslashes.
     */
    public static final String NAME = "\uD83D\uDD11 Schl\u00FCssel e\u0301 \u4E2D\u6587 \u202Eevil\u202C \u2028 \uFEFF \"q\" \\ end";

    /** Free text that every text field stores exactly, control characters other than NUL included. */
    public static final String FREE_TEXT = NAME + " \uD83D\uDE00 tab\there\nnew line \u0001 \u007F \u009F \uFFFF \uDBFF\uDFFF";

    /** {@link #FREE_TEXT} with blanks around it, as a name or a title holds it: nothing is trimmed (72 characters). */
    public static final String AS_SENT = "  " + FREE_TEXT + " \t";
}
