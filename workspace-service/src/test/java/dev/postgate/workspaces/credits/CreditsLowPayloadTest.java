package dev.postgate.workspaces.credits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.postgate.workspaces.events.CreditsLowEvent;

/**
 * credits.low is written by the reserve statement alone (a balance falls only there), as JSON built
 * in SQL: its fields must stay those of {@link CreditsLowEvent}, the event's definition.
 */
class CreditsLowPayloadTest {
    @Test
    void theReserveStatementWritesTheFieldsTypeAndVersionOfCreditsLowEvent() {
        Matcher payload = Pattern.compile("json_build_object\\((.*?)\\)::text", Pattern.DOTALL).matcher(ReservationRepository.RESERVE);
        assertTrue(payload.find(), ReservationRepository.RESERVE);
        List<String> keys = new ArrayList<>();
        Matcher pair = Pattern.compile("'([a-z_]+)',\\s*([^,]+(?:\\([^)]*\\))?)").matcher(payload.group(1));
        String type = null;
        String version = null;
        while (pair.find()) {
            keys.add(pair.group(1));
            if (pair.group(1).equals("type")) {
                type = pair.group(2).strip();
            } else if (pair.group(1).equals("version")) {
                version = pair.group(2).strip();
            }
        }
        List<String> fields = Arrays.stream(CreditsLowEvent.class.getRecordComponents()).map(RecordComponent::getName)
                .map(name -> name.replaceAll("([A-Z])", "_$1").toLowerCase()).toList();
        assertEquals(fields, keys);
        assertEquals("'" + CreditsLowEvent.TYPE + "'", type);
        assertEquals(String.valueOf(CreditsLowEvent.VERSION), version);
    }
}
