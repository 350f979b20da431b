package dev.postgate.common.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import org.junit.jupiter.api.Test;

class InstantsTest {
    private static final Instant AT = Instant.parse("2026-03-02T10:00:00.123456Z");

    @Test
    void sqlValuesRoundTripInUtcAndNullStaysNull() {
        OffsetDateTime utc = Instants.utc(AT);
        assertEquals(ZoneOffset.UTC, utc.getOffset());
        assertEquals(AT, Instants.of(utc));
        assertEquals(AT, Instants.of(OffsetDateTime.parse("2026-03-02T12:00:00.123456+02:00")));
        assertNull(Instants.utc(null));
        assertNull(Instants.of(null));
    }

    @Test
    void clientTimesNeedAnOffset() {
        assertEquals(AT, Instants.parseWithOffset(" 2026-03-02T11:00:00.123456+01:00 "));
        assertThrows(DateTimeParseException.class, () -> Instants.parseWithOffset("2026-03-02T10:00:00"));
        assertThrows(DateTimeParseException.class, () -> Instants.parseWithOffset("tomorrow"));
    }

    @Test
    void clientTimesLieInTheYears0001To9999() {
        assertEquals(Instants.EARLIEST, Instants.parseWithOffset("0001-01-01T00:00:00Z"));
        assertEquals(Instants.LATEST, Instants.parseWithOffset("9999-12-31T23:59:59.999999Z"));
        for (String outside : new String[] { "0000-12-31T23:59:59Z", "0001-01-01T00:30:00+01:00", "+10000-01-01T00:00:00Z",
                "-5000-01-01T00:00:00Z", "+300000-01-01T00:00:00Z", "9999-12-31T23:59:59-01:00" }) {
            assertThrows(DateTimeParseException.class, () -> Instants.parseWithOffset(outside), outside);
        }
    }

    @Test
    void clientTimesAreKeptToTheMicrosecondAsStored() {
        assertEquals(AT, Instants.parseWithOffset("2026-03-02T10:00:00.123456789Z"));
    }

    @Test
    void ourOwnTimesAreReadLeniently() {
        assertEquals(AT, Instants.parseOrNull("2026-03-02T10:00:00.123456Z"));
        assertNull(Instants.parseOrNull(null));
        assertNull(Instants.parseOrNull(""));
        assertNull(Instants.parseOrNull("not a time"));
    }

    @Test
    void aTimeInAnotherServicesAnswerIsAbsentOrReadableNeverQuietlyDropped() {
        assertEquals(Instant.parse("2030-01-01T00:00:00Z"), Instants.parseOrFail("2030-01-01T00:00:00Z", IllegalStateException::new));
        assertNull(Instants.parseOrFail(null, IllegalStateException::new));
        assertThrows(IllegalStateException.class, () -> Instants.parseOrFail("soon", IllegalStateException::new));
        assertThrows(IllegalStateException.class, () -> Instants.parseOrFail("", IllegalStateException::new));
    }
}
