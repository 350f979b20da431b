package dev.postgate.common.http;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.ws.rs.Path;

import dev.postgate.common.api.ResourceMethods;

/**
 * This service's REST endpoints, read once from its resource beans' annotations: for the checks
 * made at start and the {@code Allow} header of a 405. (The REST layer routes requests itself;
 * this is what the annotations declare, read as {@link ResourceMethods} reads them.)
 */
@ApplicationScoped
public class RestEndpoints {
    /** One resource method: its class, the method, its HTTP method and its path template. */
    public record Endpoint(Class<?> resource, Method method, String httpMethod, String template) {
    }

    private volatile List<Endpoint> all;

    @Inject
    BeanManager beans;

    public List<Endpoint> all() {
        List<Endpoint> known = all;
        if (known == null) {
            List<Endpoint> found = new ArrayList<>();
            for (Bean<?> bean : beans.getBeans(Object.class, Any.Literal.INSTANCE)) {
                Class<?> resource = bean.getBeanClass();
                if (resource.isAnnotationPresent(Path.class)) {
                    for (Method method : resource.getMethods()) {
                        String http = ResourceMethods.httpMethod(method);
                        if (http != null) {
                            found.add(new Endpoint(resource, method, http, ResourceMethods.template(resource, method)));
                        }
                    }
                }
            }
            known = List.copyOf(found);
            all = known;
        }
        return known;
    }
}
