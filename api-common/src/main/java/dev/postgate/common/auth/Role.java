package dev.postgate.common.auth;

/** Dashboard groups: {@code member} may read, {@code admin} may do everything. */
public enum Role {
    MEMBER, ADMIN;

    public String group() {
        return name().toLowerCase();
    }
}
