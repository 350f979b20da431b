package dev.postgate.workspaces.workspaces;

import java.time.Instant;

import jakarta.validation.constraints.NotBlank;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.postgate.common.api.Identified;
import dev.postgate.common.validation.Text;

/** Request and response bodies of the workspace API (JSON, snake_case). */
public final class WorkspaceViews {
    private WorkspaceViews() {
    }

    static final int MAX_NAME = 100;

    public record WorkspaceRequest(@NotBlank(message = "is required") @Text(max = MAX_NAME, shownToAll = true) String name) {
    }

    /** A workspace as every response shows it; {@code deleted_at} only in the answer to its deletion. */
    public record WorkspaceView(String id, String orgId, String name, long balance, Instant createdAt, Instant updatedAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) Instant deletedAt) implements Identified {

        public static WorkspaceView of(Workspace workspace) {
            return new WorkspaceView(workspace.id, workspace.orgId, workspace.name, workspace.balance, workspace.createdAt,
                    workspace.updatedAt, workspace.deletedAt);
        }
    }

    /** What other services need to know about a workspace ({@code GET /internal/v1/workspaces/{id}}). */
    /** SPEC section 7 gives {id, org_id, deleted}; {@code balance} is added so callers can report X-Credits-Remaining. */
    public record WorkspaceFactView(String id, String orgId, boolean deleted, long balance) {
    }
}
