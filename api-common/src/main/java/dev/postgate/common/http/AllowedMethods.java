package dev.postgate.common.http;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

import dev.postgate.common.api.ResourceMethods;

/**
 * The methods each path of this service accepts, for the {@code Allow} header that every 405 carries
 * (RFC 9110 section 15.5.6): the REST resources' paths, read from their annotations once, at the
 * first 405, plus the routes that answer on their own ({@link #add}). A REST path that takes GET
 * takes HEAD too: the REST layer answers HEAD with the GET method. Unknown paths have no entry.
 */
@ApplicationScoped
public class AllowedMethods {
    private static final Pattern PARAMETER = Pattern.compile("\\{[^}]*}");

    private record Endpoint(Pattern path, Set<String> methods) {
    }

    private final Map<String, Set<String>> added = new ConcurrentHashMap<>();
    private volatile List<Endpoint> endpoints;

    @Inject
    BeanManager beans;

    /** Declares that {@code template} (a path, {@code {name}} for a segment) accepts {@code methods}. */
    public void add(String template, String... methods) {
        added.computeIfAbsent(template, t -> new TreeSet<>()).addAll(List.of(methods));
        endpoints = null;
    }

    /** The {@code Allow} value of {@code path} ("GET, HEAD, POST"), empty when no endpoint has this path. */
    public Optional<String> of(String path) {
        String normalized = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        Set<String> methods = new TreeSet<>();
        for (Endpoint endpoint : endpoints()) {
            if (endpoint.path().matcher(normalized).matches()) {
                methods.addAll(endpoint.methods());
            }
        }
        return methods.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", methods));
    }

    private List<Endpoint> endpoints() {
        List<Endpoint> known = endpoints;
        if (known == null) {
            Map<String, Set<String>> byTemplate = new HashMap<>();
            added.forEach((template, methods) -> byTemplate.put(template, new TreeSet<>(methods)));
            for (Bean<?> bean : beans.getBeans(Object.class, Any.Literal.INSTANCE)) {
                if (bean.getBeanClass().isAnnotationPresent(Path.class)) {
                    collect(bean.getBeanClass(), byTemplate);
                }
            }
            known = new ArrayList<>();
            for (Map.Entry<String, Set<String>> entry : byTemplate.entrySet()) {
                known.add(new Endpoint(compile(entry.getKey()), Set.copyOf(entry.getValue())));
            }
            endpoints = known;
        }
        return known;
    }

    private static void collect(Class<?> resource, Map<String, Set<String>> byTemplate) {
        for (Method method : resource.getMethods()) {
            String http = ResourceMethods.httpMethod(method);
            if (http != null) {
                Set<String> methods = byTemplate.computeIfAbsent(ResourceMethods.template(resource, method), t -> new TreeSet<>());
                methods.add(http);
                if (http.equals(HttpMethod.GET)) {
                    methods.add(HttpMethod.HEAD);
                }
            }
        }
    }

    /** {@code {name}} matches one path segment; the rest is literal. */
    static Pattern compile(String template) {
        StringBuilder regex = new StringBuilder();
        Matcher parameter = PARAMETER.matcher(template);
        int from = 0;
        while (parameter.find()) {
            regex.append(Pattern.quote(template.substring(from, parameter.start()))).append("[^/]+");
            from = parameter.end();
        }
        regex.append(Pattern.quote(template.substring(from)));
        return Pattern.compile(regex.toString());
    }
}
