package dev.postgate.common.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The endpoint accepts API keys: the scope the key must hold and how it uses
 * {@code X-Workspace-Id}. Checked in the SPEC's order: 401 (key), 429 (rate), 403
 * INSUFFICIENT_SCOPE, 400 WORKSPACE_REQUIRED, 403 WORKSPACE_FORBIDDEN. Put it on each resource
 * method so that every endpoint's rule is visible where the endpoint is.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ApiKeyAccess {
    /** Any valid key may call (no scope needed), e.g. whoami. */
    String ANY_SCOPE = "";

    /** The canonical scope required (see {@link dev.postgate.common.keys.Scopes}), or {@link #ANY_SCOPE}. */
    String scope();

    WorkspaceRule workspace() default WorkspaceRule.NONE;

    enum WorkspaceRule {
        /** The endpoint is not about one workspace; the header is ignored. */
        NONE,
        /** The header narrows the answer to one workspace when sent (and is checked then). */
        OPTIONAL,
        /** The header must name a workspace the key may use. */
        REQUIRED
    }
}
