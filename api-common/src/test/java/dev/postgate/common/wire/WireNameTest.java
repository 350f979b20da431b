package dev.postgate.common.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Locale;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.postgate.common.api.QueryFilters;
import dev.postgate.common.auth.Role;
import dev.postgate.common.errors.ValidationException;
import dev.postgate.common.errors.UnauthorizedException;
import dev.postgate.common.keys.KeyMode;

class WireNameTest {
    enum Status implements WireName {
        PUBLISHING, PARTIALLY_FAILED
    }

    private Locale before;

    @BeforeEach
    void turkishMachine() {
        before = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("tr-TR"));
    }

    @AfterEach
    void restore() {
        Locale.setDefault(before);
    }

    @Test
    void wireNamesAreLowerCaseNamesOnAMachineOfAnyLocale() {
        assertEquals("publishing", Status.PUBLISHING.wire());
        assertEquals("partially_failed", Status.PARTIALLY_FAILED.wire());
        assertEquals("invalid", UnauthorizedException.Reason.INVALID.wire());
        assertEquals("admin", Role.ADMIN.wire());
        assertEquals("live", KeyMode.LIVE.wire());
    }

    @Test
    void wireNamesReadBackToTheirConstant() {
        assertEquals(Status.PUBLISHING, WireNames.find(Status.class, "publishing"));
        assertEquals(Status.PARTIALLY_FAILED, WireNames.of(Status.class, "partially_failed"));
        assertEquals(KeyMode.TEST, KeyMode.fromWire("test"));
    }

    @Test
    void anUnknownOrUpperCaseWireNameIsNoConstant() {
        assertNull(WireNames.find(Status.class, "PUBLISHING"));
        assertNull(WireNames.find(Status.class, null));
        assertThrows(IllegalArgumentException.class, () -> WireNames.of(Status.class, "sent"));
        assertThrows(IllegalArgumentException.class, () -> KeyMode.fromWire("LIVE"));
    }

    @Test
    void anUnknownQueryFilterIs400NamingItsValuesAsABodyFieldDoes() {
        ValidationException e = assertThrows(ValidationException.class, () -> QueryFilters.of(Status.class, "status", "gone"));
        assertEquals(400, e.status());
        assertEquals("status is 'partially_failed' or 'publishing'.", e.getMessage());
        assertNull(QueryFilters.of(Status.class, "status", ""), "empty: no filter");
        assertEquals(Status.PARTIALLY_FAILED, QueryFilters.of(Status.class, "status", "partially_failed"));
    }
}
