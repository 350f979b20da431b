package dev.postgate.workspaces;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;

import dev.postgate.common.errors.ValidationException;
import dev.postgate.common.errors.ValidationException.FieldError;
import dev.postgate.common.http.TextRule;

/** Checks of request values shared by the features; each names the field it refuses. */
public final class Checks {
    private Checks() {
    }

    /**
     * A one-line text of 1 to {@code max} characters (after trimming); null when absent (or blank)
     * and not required. Problems are added to {@code errors}.
     */
    public static String text(String field, String value, int max, boolean required, List<FieldError> errors) {
        return text(field, value, max, required, false, errors);
    }

    /** As {@link #text(String, String, int, boolean, List)}; {@code multiline} allows line breaks and tabs. */
    public static String text(String field, String value, int max, boolean required, boolean multiline,
            List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            if (required) {
                errors.add(new FieldError(field, field + " is required (1 to " + max + " characters)."));
            }
            return null;
        }
        String trimmed = value.strip();
        if (trimmed.codePointCount(0, trimmed.length()) > max) {
            errors.add(new FieldError(field, field + " is at most " + max + " characters."));
        }
        if (trimmed.chars().anyMatch(c -> Character.isISOControl(c) && !(multiline && (c == '\n' || c == '\r' || c == '\t')))) {
            errors.add(new FieldError(field, field + " cannot contain control characters."));
        } else if (!TextRule.isAcceptable(trimmed)) {
            errors.add(new FieldError(field, field + " is not valid Unicode (an unpaired surrogate)."));
        }
        return trimmed;
    }

    /**
     * An ISO-8601 date-time with an offset ({@code 2026-03-02T10:00:00Z}); anything else cannot
     * be read at all and is 400 naming the field.
     */
    public static Instant instant(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.strip(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant()
                    .truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            throw ValidationException.badRequest(field,
                    field + " must be an ISO-8601 date-time with an offset, such as 2026-03-02T10:00:00Z.");
        }
    }
}
