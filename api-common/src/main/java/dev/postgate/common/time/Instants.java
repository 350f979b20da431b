package dev.postgate.common.time;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** The conversions of an {@link Instant} to and from what carries it: SQL rows and parameters, text in bodies, queries and events. */
public final class Instants {
    private Instants() {
    }

    /** An SQL parameter (timestamptz) for {@code instant}, in UTC; null stays null. */
    public static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** The instant of a timestamptz column's value; null stays null. */
    public static Instant of(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }

    /** The first and the last instant a client may send: years 0001 to 9999 (RFC 3339), in UTC. */
    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    /**
     * What a client sends: ISO-8601 with an offset ({@code 2026-03-02T10:00:00Z}, surrounding
     * blanks ignored), kept to the microsecond as every stored time is, so that an answer says what
     * a later read gives back; anything else, a local time included, is a {@link DateTimeParseException}.
     * So is a time outside the years 0001 to 9999: Java reads them, but the database driver would
     * store a changed time without an error.
     */
    public static Instant parseWithOffset(String text) {
        String trimmed = text.strip();
        Instant at = OffsetDateTime.parse(trimmed, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().truncatedTo(ChronoUnit.MICROS);
        if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
            throw new DateTimeParseException("Outside the years 0001 to 9999 (UTC)", trimmed, 0);
        }
        return at;
    }

    /** A space where an offset's sign belongs, at the end of a date-time. */
    private static final Pattern SPACE_FOR_PLUS = Pattern.compile("(?i)(T[0-9:.,]+) ([0-9]{2}(?::?[0-9]{2}){0,2})$");

    /**
     * A date-time with an offset in a query ({@code ?from=2026-03-02T10:00:00+01:00}), read as
     * {@link #parseWithOffset} reads one. A {@code +} sent as typed, not as {@code %2B}, reaches
     * the service as a space (form encoding): a space where the offset's sign belongs is read as
     * {@code +}.
     */
    public static Instant parseQueryWithOffset(String text) {
        return parseWithOffset(SPACE_FOR_PLUS.matcher(text.strip()).replaceFirst("$1+$2"));
    }

    /**
     * A time in another of our services' answers: null when it is absent, {@code unreadable}'s
     * failure when it cannot be read (never read as absent: an expiry would become "never").
     */
    public static Instant parseOrFail(String text, Supplier<? extends RuntimeException> unreadable) {
        Instant at = parseOrNull(text);
        if (text != null && at == null) {
            throw unreadable.get();
        }
        return at;
    }

    /** A time another of our processes wrote (events, stored JSON): null when it is absent or unreadable. */
    public static Instant parseOrNull(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
