package dev.postgate.common.auth;

import java.lang.reflect.Method;

/**
 * The {@link DashboardAccess} and {@link ServiceAccess} of a resource method, on the method or
 * else on its class: read one way for the filter that enforces them and for the API document
 * that describes them.
 *
 * @param dashboard the least dashboard role, or null when no dashboard token is taken
 * @param service   true for internal paths (service token only)
 */
public record DeclaredAccess(Role dashboard, boolean service) {
    public static DeclaredAccess of(Method method, Class<?> resourceClass) {
        DashboardAccess dashboard = method.getAnnotation(DashboardAccess.class);
        if (dashboard == null) {
            dashboard = resourceClass.getAnnotation(DashboardAccess.class);
        }
        boolean service = method.isAnnotationPresent(ServiceAccess.class) || resourceClass.isAnnotationPresent(ServiceAccess.class);
        return new DeclaredAccess(dashboard == null ? null : dashboard.value(), service);
    }

    /** True when the method is open to calls with neither token: with no API key rule either, anyone may call it. */
    public boolean noToken() {
        return dashboard == null && !service;
    }
}
