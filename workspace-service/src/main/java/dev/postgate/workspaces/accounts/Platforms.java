package dev.postgate.workspaces.accounts;

/** The social networks an account can be connected to (SPEC section 5). */
final class Platforms {
    /** The platforms as a regular expression, for validating request bodies. */
    static final String PATTERN = "instagram|facebook|x|linkedin|tiktok|youtube|threads";
    /** The same platforms as a message lists them. */
    static final String LIST = "instagram, facebook, x, linkedin, tiktok, youtube, threads";

    private Platforms() {
    }
}
