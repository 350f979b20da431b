package dev.postgate.common.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.postgate.common.http.HttpEdge;

class KeyRedactionTest {
    private static final String KEY = "pp_live_sk_0123456789ABCDEFGHIJKLMNOPQRSTUV2zXgei";

    @Test
    void aKeyOfAnyBrandWholeOrCutShortIsTakenOutOfText() {
        assertEquals("The path /api/v1/nope/[key redacted] was not found.",
                KeyRedaction.redact("The path /api/v1/nope/" + KEY + " was not found."));
        assertEquals("[key redacted]/[key redacted]", KeyRedaction.redact("xy_test_sk_abc/" + KEY));
        assertEquals("'[key redacted]'", KeyRedaction.redact("'pp_live_sk_'"));
    }

    @Test
    void textWithoutAKeyIsUnchanged() {
        for (String text : List.of("", "post_01HZ not found", "live_sk", "pp_live_pk_abc", "sk_live_x")) {
            assertEquals(text, KeyRedaction.redact(text));
        }
    }

    /**
     * Found by review: the pattern that finds something like a key started anywhere in a run of
     * letters, so a run of n letters cost n²/2 steps; every error's text goes through it on an
     * event loop, and a JSON field name of 50,000 letters, quoted by its 400, held one for
     * seconds. It now starts only where a run starts. (A bound to tell a hang, not a speed target.)
     */
    @Test
    void aLongRunOfLettersIsReadOnce() {
        String run = "a".repeat(200_000);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertEquals(run, KeyRedaction.redact(run));
            assertEquals(run + " [key redacted]", KeyRedaction.redact(run + " " + KEY));
            assertEquals("[key redacted]", KeyRedaction.redact(run + KEY));
        });
    }

    @Test
    void everyStringOfADetailIsRedacted() {
        Object details = KeyRedaction.redactAll(List.of(Map.of("field", "account_ids", "message", "Unknown account " + KEY + "."), 7));
        assertEquals(List.of(Map.of("field", "account_ids", "message", "Unknown account [key redacted]."), 7), details);
    }

    @Test
    void aRequestIdThatLooksLikeAKeyIsReplaced() {
        assertTrue(HttpEdge.requestIdFor(KEY).startsWith("req_"));
        assertFalse(HttpEdge.requestIdFor("pp_test_sk_short").contains("_sk_"));
        assertEquals("trace-1.2_3", HttpEdge.requestIdFor("trace-1.2_3"));
    }
}
