package dev.postgate.common.api;

import dev.postgate.common.errors.ValidationException;

/**
 * Whole-number query parameters ({@code ?limit=}, {@code ?wait_ms=}). They are declared as text, so
 * that a bad value is our 400 naming the parameter rather than the REST layer's 404.
 */
public final class QueryNumbers {
    private QueryNumbers() {
    }

    /**
     * {@code text} as a whole number from {@code min} to {@code max}, or {@code absent} when it was
     * not sent; anything else is 400 VALIDATION_FAILED: "{name} must be {what} from {min} to {max}."
     */
    public static long wholeNumber(String name, String text, long absent, long min, long max, String what) {
        if (text == null) {
            return absent;
        }
        try {
            long number = Long.parseLong(text.strip());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ValidationException.badRequest(name, name + " must be " + what + " from " + min + " to " + max + ".");
    }
}
