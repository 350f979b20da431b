package dev.postgate.common.errors;

/** 403: INSUFFICIENT_SCOPE, WORKSPACE_FORBIDDEN, or FORBIDDEN for a JWT without the needed group. */
public class ForbiddenException extends ApiException {
    private static final String WORKSPACE_FORBIDDEN = "WORKSPACE_FORBIDDEN";

    private ForbiddenException(String code, String message) {
        super(403, code, message);
    }

    public static ForbiddenException insufficientScope(String scope, String method, String pathTemplate) {
        ForbiddenException e = new ForbiddenException("INSUFFICIENT_SCOPE",
                "This API key does not have the '" + scope + "' scope required for " + method + " " + pathTemplate
                        + ". Create a new key with that scope.");
        e.detail("required_scope", scope);
        return e;
    }

    public static ForbiddenException workspace(String workspaceId) {
        return new ForbiddenException(WORKSPACE_FORBIDDEN,
                "This API key may not use workspace '" + workspaceId + "': it is unknown, deleted, of another organisation, or not among the key's workspaces.");
    }

    /** An X-Workspace-Id that is not a workspace id at all: refused without being looked up or echoed. */
    public static ForbiddenException malformedWorkspace() {
        return new ForbiddenException(WORKSPACE_FORBIDDEN, "X-Workspace-Id is not the id of any workspace.");
    }

    /** True for a refused workspace ({@link #workspace}, {@link #malformedWorkspace}). */
    public boolean isWorkspaceForbidden() {
        return WORKSPACE_FORBIDDEN.equals(code());
    }

    public static ForbiddenException role(String neededGroup) {
        return new ForbiddenException("FORBIDDEN",
                "This action needs a dashboard token of the '" + neededGroup + "' group.");
    }
}
