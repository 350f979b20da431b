package dev.postgate.workspaces.accounts;

import dev.postgate.common.wire.WireName;

/** The social networks an account can be connected to (SPEC section 5), by their wire names. */
public enum Platform implements WireName {
    INSTAGRAM, FACEBOOK, X, LINKEDIN, TIKTOK, YOUTUBE, THREADS;
}
