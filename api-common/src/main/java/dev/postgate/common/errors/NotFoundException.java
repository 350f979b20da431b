package dev.postgate.common.errors;

/** 404 NOT_FOUND: absent, or another organisation's or workspace's (never says which). */
public class NotFoundException extends ApiException {
    public NotFoundException(String what) {
        super(404, "NOT_FOUND", what + " was not found.");
    }

    /**
     * No route serves this path (or, as for a switched-off development path, none is said to).
     * Give it decoded ({@code normalizedPath}): the envelope takes a key out of the text only in
     * its decoded form.
     */
    public static NotFoundException path(String path) {
        return new NotFoundException("The path " + path);
    }
}
