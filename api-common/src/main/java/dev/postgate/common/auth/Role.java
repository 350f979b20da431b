package dev.postgate.common.auth;

import dev.postgate.common.wire.WireName;

/** Dashboard groups: {@code member} may read, {@code admin} may do everything. */
public enum Role implements WireName {
    MEMBER, ADMIN;
}
