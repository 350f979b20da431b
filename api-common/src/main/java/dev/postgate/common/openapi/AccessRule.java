package dev.postgate.common.openapi;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;

import dev.postgate.common.auth.DashboardAccess;
import dev.postgate.common.auth.DeclaredAccess;
import dev.postgate.common.auth.ServiceAccess;

/**
 * Who may call a resource method, read from the same annotations the authentication filter
 * enforces: {@link DashboardAccess} (method or class), {@link ServiceAccess} (method or class) and
 * key-client's {@code ApiKeyAccess} (method). api-common sits below key-client, so that one is
 * read by name.
 *
 * @param declared  the dashboard and service access
 * @param apiKey    true when API keys are taken
 * @param scope     the scope a key needs ("" for any valid key), null without keys
 * @param workspace how {@code X-Workspace-Id} is used: NONE, OPTIONAL or REQUIRED
 */
record AccessRule(DeclaredAccess declared, boolean apiKey, String scope, String workspace) {
    static final String API_KEY_ACCESS = "dev.postgate.keyclient.ApiKeyAccess";

    static AccessRule of(Method method) {
        DeclaredAccess declared = DeclaredAccess.of(method, method.getDeclaringClass());
        for (Annotation annotation : method.getAnnotations()) {
            if (annotation.annotationType().getName().equals(API_KEY_ACCESS)) {
                return new AccessRule(declared, true,
                        (String) attribute(annotation, "scope"), String.valueOf(attribute(annotation, "workspace")));
            }
        }
        return new AccessRule(declared, false, null, "NONE");
    }

    private static Object attribute(Annotation annotation, String name) {
        try {
            return annotation.annotationType().getMethod(name).invoke(annotation);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(API_KEY_ACCESS + " has no attribute " + name, e);
        }
    }

    boolean open() {
        return declared.noToken() && !apiKey;
    }

    boolean workspaceScoped() {
        return apiKey && !"NONE".equals(workspace);
    }

    boolean workspaceRequired() {
        return apiKey && "REQUIRED".equals(workspace);
    }

    boolean needsScope() {
        return apiKey && scope != null && !scope.isEmpty();
    }
}
