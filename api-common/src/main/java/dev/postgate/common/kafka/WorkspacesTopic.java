package dev.postgate.common.kafka;

/**
 * Topic {@value #NAME} (SPEC section 6): its name and the event types its writer
 * (workspace-service) and its readers (the consuming services' key caches, which drop a deleted
 * workspace) must agree on, as {@link KeysTopic} does for keys.
 */
public final class WorkspacesTopic {
    public static final String NAME = "postgate.workspaces.v1";
    /** What every workspace event's {@code type} starts with. */
    public static final String TYPE_PREFIX = "workspace.";
    public static final String CREATED = TYPE_PREFIX + "created";
    /** Final: keys lose the workspace everywhere from now on. */
    public static final String DELETED = TYPE_PREFIX + "deleted";

    private WorkspacesTopic() {
    }
}
