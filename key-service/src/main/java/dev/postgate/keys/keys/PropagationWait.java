package dev.postgate.keys.keys;

import java.time.Duration;

import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import dev.postgate.common.api.QueryNumbers;
import dev.postgate.keys.receipts.Receipts;

/**
 * {@code ?wait_ms=} of a revoke or roll (SPEC section 6), declared and documented once: how long the
 * answer may wait for every live instance to apply the change. Text here, so that a bad value is our
 * 400 VALIDATION_FAILED.
 */
public class PropagationWait {
    static final long DEFAULT_MS = 1000;
    public static final long MAX_MS = Receipts.LONGEST_WAIT_MS;

    @QueryParam("wait_ms")
    @Parameter(description = "How long the answer may wait for every live instance to apply the change, in milliseconds "
            + "(0-" + MAX_MS + ", default " + DEFAULT_MS + "); the answer's propagation says whether all did (confirmed) "
            + "or names who did not (partial).", schema = @Schema(type = SchemaType.INTEGER, minimum = "0",
                    maximum = "" + MAX_MS, defaultValue = "" + DEFAULT_MS))
    String waitMs;

    /** The wait asked for: {@value #DEFAULT_MS} ms when absent; 400 for anything but a whole number from 0 to {@value #MAX_MS}. */
    public Duration duration() {
        return Duration.ofMillis(QueryNumbers.wholeNumber("wait_ms", waitMs, DEFAULT_MS, 0, MAX_MS, "a whole number of milliseconds"));
    }
}
