package dev.postgate.common.auth;

import java.lang.reflect.Method;

import dev.postgate.common.api.ResourceMethods;
import dev.postgate.common.auth.ApiKeyAccess.WorkspaceRule;

/**
 * Who may call a resource method, as its annotations declare it: {@link DashboardAccess} and
 * {@link ServiceAccess} (on the method or else on its class) and {@link ApiKeyAccess} (on the
 * method). Read one way for the filter that enforces them and for the API document that
 * describes them.
 *
 * @param dashboard the least dashboard role, or null when no dashboard token is taken
 * @param service   true for internal paths (service token only)
 * @param key       the API-key rule, or null when API keys are not taken
 * @param path      the endpoint's path template as clients see it, e.g. {@code /api/v1/posts/{id}/publish}
 */
public record DeclaredAccess(Role dashboard, boolean service, ApiKeyAccess key, String path) {
    public static DeclaredAccess of(Method method, Class<?> resourceClass) {
        DashboardAccess dashboard = method.getAnnotation(DashboardAccess.class);
        if (dashboard == null) {
            dashboard = resourceClass.getAnnotation(DashboardAccess.class);
        }
        boolean service = method.isAnnotationPresent(ServiceAccess.class) || resourceClass.isAnnotationPresent(ServiceAccess.class);
        return new DeclaredAccess(dashboard == null ? null : dashboard.value(), service, method.getAnnotation(ApiKeyAccess.class),
                ResourceMethods.template(resourceClass, method));
    }

    /** True when API keys are taken. */
    public boolean apiKey() {
        return key != null;
    }

    /** True when anyone may call: no token and no API key is asked for. */
    public boolean open() {
        return dashboard == null && !service && key == null;
    }

    /** The scope a key needs ({@link ApiKeyAccess#ANY_SCOPE} for any valid key), null without keys. */
    public String scope() {
        return key == null ? null : key.scope();
    }

    public boolean needsScope() {
        return key != null && !key.scope().isEmpty();
    }

    /** True when a key's call may be narrowed to one workspace by {@code X-Workspace-Id}. */
    public boolean workspaceScoped() {
        return key != null && key.workspace() != WorkspaceRule.NONE;
    }

    public boolean workspaceRequired() {
        return key != null && key.workspace() == WorkspaceRule.REQUIRED;
    }
}
