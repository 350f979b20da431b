package dev.postgate.common.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The endpoint accepts a dashboard JWT of at least this role ({@code member} reads, {@code admin}
 * changes), confined to the token's {@code org_id}. May be combined with an API-key rule on
 * the paths that accept both.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface DashboardAccess {
    Role value();
}
