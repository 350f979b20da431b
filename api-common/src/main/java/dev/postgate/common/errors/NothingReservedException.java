package dev.postgate.common.errors;

import java.util.Map;

/**
 * 503 UNAVAILABLE with {@code Retry-After: 1} to a reserve that reserved nothing although the
 * balance could pay: it changed under each of the reserve's tries. Unlike another 503 it is a
 * definite answer, told by {@code error.reserved: false}: a caller may forget the work it was
 * reserving for, and send the request again at once.
 */
public final class NothingReservedException extends ApiException {
    /** The error field that tells this 503 from one whose reserve may have happened. */
    public static final String RESERVED = "reserved";
    private static final RetryAfter RETRY = new RetryAfter(1);

    public NothingReservedException(String message) {
        super(503, SimpleErrors.UNAVAILABLE, message + " " + RETRY.sentence() + ".");
        detail(RESERVED, false);
    }

    @Override
    public Map<String, String> headers() {
        return RETRY.header();
    }
}
