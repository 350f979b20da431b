package dev.postgate.common.errors;

/** 413 PAYLOAD_TOO_LARGE for a store that would pass a quota: {@code error.quota} and {@code error.used}, in bytes. */
public class QuotaExceededException extends ApiException {

    public QuotaExceededException(long quota, long used, String message) {
        super(413, SimpleErrors.PAYLOAD_TOO_LARGE, message);
        detail("quota", quota);
        detail("used", used);
    }
}
