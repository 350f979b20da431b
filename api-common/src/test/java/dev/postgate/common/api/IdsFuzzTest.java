package dev.postgate.common.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the id checks ({@link Ids#looksLike}, and {@link Ids#isWorkspaceId}, which decides whether
 * an {@code X-Workspace-Id} is looked up and put in an internal URL at all): whatever the text, an
 * id is accepted exactly when it has the shape {@link Ids} makes, a SPEC type prefix then a ULID (for
 * workspaces also the SPEC section 5 shape, {@code ws_} then 1–64 of {@code [0-9A-Za-z]}), and so
 * holds nothing a path or query could read otherwise: it equals its own URL encoding. Without
 * {@code JAZZER_FUZZ} it runs the committed inputs ({@code IdsFuzzTestInputs}); bench/README.md
 * tells how to fuzz longer.
 */
class IdsFuzzTest {
    /** The type prefixes of SPEC section 1. */
    static final List<String> SPEC_PREFIXES = List.of("key", "ws", "acct", "post", "med", "gen", "cal", "led", "evt", "req");
    static final Pattern SPEC_WORKSPACE_ID = Pattern.compile("ws_[0-9A-Za-z]{1,64}");
    static final String ULID = "[0-9A-HJKMNP-TV-Z]{26}";

    @FuzzTest(maxDuration = "10s")
    void anIdIsAcceptedOnlyInItsShapeAndIsTheSameInAUrl(byte[] input) {
        String value = new String(input, StandardCharsets.UTF_8);
        assertEquals(Ids.looksLike("ws", value), Ids.isWorkspaceId(value));
        if (Ids.isWorkspaceId(value)) {
            assertTrue(SPEC_WORKSPACE_ID.matcher(value).matches(), value);
        }
        for (String prefix : SPEC_PREFIXES) {
            assertEquals(Pattern.matches(prefix + "_" + ULID, value), Ids.looksLike(prefix, value), value);
            if (Ids.looksLike(prefix, value)) {
                assertEquals(URLEncoder.encode(value, StandardCharsets.UTF_8), value);
                value.chars().forEach(c -> assertFalse("/\\.?#%;&=+".indexOf(c) >= 0 || Character.isWhitespace(c)
                        || Character.isISOControl(c), value));
            }
        }
    }

    @Test
    void theNamedPrefixesAreSpecs() {
        assertEquals(SPEC_PREFIXES, List.of(Ids.KEY, Ids.WORKSPACE, Ids.ACCOUNT, Ids.POST, Ids.MEDIA, Ids.GENERATION,
                Ids.CALENDAR_ENTRY, Ids.LEDGER_ENTRY, Ids.EVENT, Ids.REQUEST));
        assertEquals(SPEC_WORKSPACE_ID.pattern(), Ids.WORKSPACE + Ids.SUFFIX);
    }

    @Test
    void everyIdMadeIsAcceptedAsItsTypeOnly() {
        for (String prefix : SPEC_PREFIXES) {
            String id = Ids.newId(prefix);
            assertTrue(Ids.looksLike(prefix, id), id);
            assertEquals("ws".equals(prefix), Ids.isWorkspaceId(id), id);
            assertFalse(Ids.isWorkspaceId(id.toLowerCase()), "ids are compared as they are made");
        }
    }
}
