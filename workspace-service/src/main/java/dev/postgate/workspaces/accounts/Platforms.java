package dev.postgate.workspaces.accounts;

import java.util.List;

/** The social networks an account can be connected to (SPEC section 5). */
public final class Platforms {
    public static final List<String> ALL = List.of("instagram", "facebook", "x", "linkedin", "tiktok", "youtube", "threads");

    private Platforms() {
    }

    public static boolean known(String platform) {
        return ALL.contains(platform);
    }
}
