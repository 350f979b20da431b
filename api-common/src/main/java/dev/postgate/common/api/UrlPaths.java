package dev.postgate.common.api;

/** Request paths compared one way: a trailing slash names the same path, and a prefix covers whole segments. */
public final class UrlPaths {
    private UrlPaths() {
    }

    /** {@code path} without its trailing slash ({@code /api/v1/keys/} is {@code /api/v1/keys}); {@code /} stays. */
    public static String withoutTrailingSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** True when {@code path} is {@code prefix} or lies below it: {@code /docs/x} is under {@code /docs}, {@code /docsx} is not. */
    public static boolean isUnder(String path, String prefix) {
        // Compared in place: every request's path is checked against the configured prefixes.
        int end = prefix.length() > 1 && prefix.endsWith("/") ? prefix.length() - 1 : prefix.length();
        return path.regionMatches(0, prefix, 0, end) && (path.length() == end || end == 1 || path.charAt(end) == '/');
    }
}
