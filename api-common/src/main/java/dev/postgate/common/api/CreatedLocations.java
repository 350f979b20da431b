package dev.postgate.common.api;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Answers every create with where the new resource is read: a 201 from a method whose
 * {@link Answers#location} is set gets {@code Location} with the answer's id in it. Runs before
 * the envelope is built and before an Idempotency-Key answer is stored, so a replay carries the
 * same header (response filters run in descending priority).
 */
public class CreatedLocations {
    public static final String ID = "{id}";

    private final Map<Method, String> templates = new ConcurrentHashMap<>();

    @ServerResponseFilter(priority = 200)
    public void locate(ContainerResponseContext response, ResourceInfo resource) {
        if (response.getStatus() != 201 || resource == null || resource.getResourceMethod() == null
                || response.getHeaders().containsKey(HttpHeaders.LOCATION)) {
            return;
        }
        String template = templates.computeIfAbsent(resource.getResourceMethod(), CreatedLocations::template);
        if (!template.isEmpty() && response.getEntity() instanceof Identified created) {
            response.getHeaders().putSingle(HttpHeaders.LOCATION, template.replace(ID, created.id()));
        }
    }

    private static String template(Method method) {
        Answers answers = method.getAnnotation(Answers.class);
        return answers == null ? "" : answers.location();
    }
}
