package dev.postgate.common.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import dev.postgate.common.errors.ValidationException;

class QueryNumbersTest {
    private static long waitMs(String text) {
        return QueryNumbers.wholeNumber("wait_ms", text, 1000, 0, 5000, "a whole number of milliseconds");
    }

    @Test
    void anAbsentNumberIsTheDefaultAndASentOneIsReadWithinItsBounds() {
        assertEquals(1000, waitMs(null));
        assertEquals(0, waitMs("0"));
        assertEquals(5000, waitMs("5000"));
        assertEquals(250, waitMs(" 250 "));
    }

    @Test
    void anythingElseIsABadRequestNamingTheParameterAndItsBounds() {
        for (String bad : new String[] { "", "abc", "-1", "5001", "1.5", "99999999999999999999", "0x10" }) {
            ValidationException e = assertThrows(ValidationException.class, () -> waitMs(bad), bad);
            assertEquals(400, e.status(), bad);
            assertEquals("wait_ms must be a whole number of milliseconds from 0 to 5000.", e.getMessage(), bad);
        }
    }

    @Test
    void aPageLimitIsReadTheSameWay() {
        assertEquals(PageRequest.DEFAULT_LIMIT, PageRequest.of(null, null, Ids.KEY).limit());
        assertEquals(7, PageRequest.of(" 7", null, Ids.KEY).limit());
        ValidationException e = assertThrows(ValidationException.class, () -> PageRequest.of("101", null, Ids.KEY));
        assertEquals("limit must be a whole number from 1 to 100.", e.getMessage());
    }
}
