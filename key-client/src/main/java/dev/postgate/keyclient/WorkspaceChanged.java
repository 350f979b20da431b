package dev.postgate.keyclient;

/**
 * A {@code workspace.*} event read from {@code postgate.workspaces.v1}, fired (synchronously, as
 * a CDI event) by {@link KeyAndWorkspaceEvents} to whoever caches workspace facts
 * ({@link WorkspaceServiceDirectory}): drop what is known about it (a deletion is final).
 */
public record WorkspaceChanged(String workspaceId, String orgId, boolean deleted) {
}
