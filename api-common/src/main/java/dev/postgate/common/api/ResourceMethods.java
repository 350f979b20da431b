package dev.postgate.common.api;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

/**
 * Where a REST resource method answers, as its annotations say: read one way for the access rules
 * (their 403 names the path), the API document and the {@code Allow} header of a 405.
 */
public final class ResourceMethods {
    private ResourceMethods() {
    }

    /** The class's and the method's {@code @Path} joined, e.g. {@code /api/v1/posts/{id}/publish}, without regular expressions in parameters. */
    public static String template(Class<?> resource, Method method) {
        Path classPath = resource.getAnnotation(Path.class);
        Path methodPath = method.getAnnotation(Path.class);
        String path = "/" + (classPath == null ? "" : classPath.value()) + "/" + (methodPath == null ? "" : methodPath.value());
        path = path.replaceAll("/+", "/").replaceAll("\\{([a-zA-Z_]+):[^}]*}", "{$1}");
        return UrlPaths.withoutTrailingSlash(path);
    }

    /** The HTTP method the method answers ({@code GET}, {@code POST}…), or null when it is not an endpoint. */
    public static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }
}
