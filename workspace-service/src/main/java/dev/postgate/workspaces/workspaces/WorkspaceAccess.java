package dev.postgate.workspaces.workspaces;

import java.util.List;

import dev.postgate.common.auth.Caller;
import io.quarkus.panache.common.Parameters;

/**
 * The workspaces a caller may use, as a query condition: the live workspaces of its
 * organisation, for an API key only those among its {@code workspace_ids} (when it has any), and
 * only the one of {@code X-Workspace-Id} when the request names one. Everything else is 404.
 */
public record WorkspaceAccess(String orgId, List<String> allowed, String only) {

    public static WorkspaceAccess of(Caller caller) {
        if (!caller.isApiKey()) {
            return organisation(caller.orgId());
        }
        return new WorkspaceAccess(caller.orgId(), caller.key().limitedTo().orElse(null), caller.workspaceId());
    }

    /** Every live workspace of a dashboard user's organisation. */
    public static WorkspaceAccess organisation(String orgId) {
        return new WorkspaceAccess(orgId, null, null);
    }

    /** The condition on {@link Workspace} itself. */
    public String onWorkspace() {
        return condition("");
    }

    /** The condition for rows of other tables: {@code field} names a workspace the caller may use. */
    public String inWorkspaces(String field) {
        return "orgId = :org and " + field + " in (select w.id from Workspace w where " + condition("w.") + ")";
    }

    private String condition(String alias) {
        StringBuilder condition = new StringBuilder(alias + "orgId = :org and " + alias + "deletedAt is null");
        if (allowed != null) {
            condition.append(" and ").append(alias).append("id in :allowed");
        }
        if (only != null) {
            condition.append(" and ").append(alias).append("id = :only");
        }
        return condition.toString();
    }

    /** The parameters of the conditions; callers add their own. */
    public Parameters parameters() {
        Parameters params = Parameters.with("org", orgId);
        if (allowed != null) {
            params.and("allowed", allowed);
        }
        if (only != null) {
            params.and("only", only);
        }
        return params;
    }
}
