package dev.postgate.common.validation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;

import dev.postgate.common.errors.ValidationException;
import dev.postgate.common.errors.ValidationException.FieldError;

/**
 * SPEC section 4's text rule, the same in every service, and a bound on lists: no list of a body
 * holds more than {@link #MAX_LIST_ITEMS} items (each list has its own smaller limit, checked
 * with the rest of the body; this one keeps a list of hundreds of thousands of items in a body
 * under the size limit from being checked, and answered, item by item). String values (and field names) must be
 * valid Unicode without U+0000, so a NUL or a lone-surrogate escape ({@code \uD800}) is refused
 * naming the field, while all other text is stored and echoed exactly. Checked on the JSON tokens
 * of a request body before any resource sees it, so typed bodies, trees and maps are all covered.
 */
public final class TextRule {
    /**
     * The most items any list of a request body may hold: ten times the largest list an endpoint
     * takes (a usage report's and GitHub's report's 1,000), so that each endpoint's own limit answers first.
     */
    public static final int MAX_LIST_ITEMS = 10_000;

    private TextRule() {
    }

    /**
     * The fields of this JSON body whose text breaks the rule, named like the other validation
     * errors ({@code content}, {@code account_ids[0]}, {@code a.b}). Empty for a body that keeps
     * the rule, and for one that is not well-formed JSON: reading it answers 400 instead.
     */
    public static List<FieldError> violations(JsonFactory factory, byte[] json) {
        List<FieldError> refused = new ArrayList<>();
        try (JsonParser parser = factory.createParser(json)) {
            boolean bodyEnded = false;
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (bodyEnded) {
                    // Text after the body: not well-formed, reading it answers 400.
                    return List.of();
                }
                JsonStreamContext holder = token.isStructStart() ? parser.getParsingContext().getParent() : parser.getParsingContext();
                if (!token.isStructEnd() && token != JsonToken.FIELD_NAME && holder.inArray()
                        && holder.getCurrentIndex() == MAX_LIST_ITEMS && refused.size() < ValidationException.MAX_FIELDS) {
                    String field = FieldPath.orBody(FieldPath.of(holder.getParent()));
                    refused.add(new FieldError(field, field + " holds more than " + MAX_LIST_ITEMS
                            + " items, more than any list of the API takes."));
                }
                if ((token == JsonToken.VALUE_STRING || token == JsonToken.FIELD_NAME) && !isAcceptable(parser.getText())
                        && refused.size() < ValidationException.MAX_FIELDS) {
                    String field = FieldPath.of(parser.getParsingContext());
                    if (!field.isEmpty()) {
                        refused.add(new FieldError(field, "Field '" + field + "' must be valid Unicode text without U+0000 (NUL)"
                                + " or unpaired surrogates (such as \\uD800)."));
                    }
                }
                bodyEnded = parser.getParsingContext().inRoot();
            }
        } catch (IOException e) {
            return List.of();
        }
        return refused;
    }

    /** True for text without U+0000 whose surrogates all come in pairs (high then low). */
    public static boolean isAcceptable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
