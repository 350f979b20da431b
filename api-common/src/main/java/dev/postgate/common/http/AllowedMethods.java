package dev.postgate.common.http;

import java.util.ArrayList;
import java.util.Collections;
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
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;

import dev.postgate.common.api.UrlPaths;

/**
 * The methods each path of this service accepts, for the {@code Allow} header that every 405 carries
 * (RFC 9110 section 15.5.6): the REST endpoints ({@link RestEndpoints}), at the first 405, plus the
 * routes that answer on their own ({@link #add}). A REST path that takes GET takes HEAD too: the
 * REST layer answers HEAD with the GET method. Below a read-only path (the management paths and
 * the static files, {@link HttpConfig#managementPaths} and {@link HttpConfig#staticPaths}) a path no
 * endpoint has takes GET and HEAD. Unknown paths have no entry.
 */
@ApplicationScoped
public class AllowedMethods {
    private static final Pattern PARAMETER = Pattern.compile("\\{[^}]*}");
    private static final Set<String> READ_ONLY = Collections.unmodifiableSortedSet(new TreeSet<>(List.of(HttpMethod.GET, HttpMethod.HEAD)));

    private record Route(Pattern path, Set<String> methods) {
    }

    private final Map<String, Set<String>> added = new ConcurrentHashMap<>();
    private volatile List<Route> routes;
    private volatile List<String> readOnlyPaths;

    @Inject
    RestEndpoints rest;

    @Inject
    HttpConfig config;

    /** Declares that {@code template} (a path, {@code {name}} for a segment) accepts {@code methods}; at start, as routes are added. */
    public synchronized void add(String template, String... methods) {
        added.computeIfAbsent(template, t -> new TreeSet<>()).addAll(List.of(methods));
        routes = null;
    }

    /** The {@code Allow} value of {@code path} ("GET, HEAD, POST"), empty when nothing serves this path. */
    public Optional<String> of(String path) {
        Set<String> methods = routed(path);
        if (methods.isEmpty() && readOnly(path)) {
            methods = READ_ONLY;
        }
        return methods.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", methods));
    }

    /**
     * True when the edge answers this request itself, before any route (405 naming {@link #of}, or
     * 404 where nothing serves the path): OPTIONS, which no path serves (no CORS: the dashboard and
     * /docs are same-origin, and the REST layer would answer it 200 with an empty body), and a method
     * other than GET and HEAD below a read-only path where no endpoint takes it (its handler would
     * redirect, answer 404 or, on the management paths, answer it as a GET).
     */
    public boolean refusedBeforeRouting(String path, String method) {
        if (method.equals(HttpMethod.OPTIONS)) {
            return true;
        }
        return !READ_ONLY.contains(method) && readOnly(path) && !routed(path).contains(method);
    }

    private boolean readOnly(String path) {
        List<String> prefixes = readOnlyPaths;
        if (prefixes == null) {
            List<String> all = new ArrayList<>(config.managementPaths());
            config.staticPaths().ifPresent(all::addAll);
            prefixes = List.copyOf(all);
            readOnlyPaths = prefixes;
        }
        for (String prefix : prefixes) {
            if (UrlPaths.isUnder(path, prefix)) {
                return true;
            }
        }
        return false;
    }

    private Set<String> routed(String path) {
        String normalized = UrlPaths.withoutTrailingSlash(path);
        Set<String> methods = new TreeSet<>();
        for (Route route : routes()) {
            if (route.path().matcher(normalized).matches()) {
                methods.addAll(route.methods());
            }
        }
        return methods;
    }

    private List<Route> routes() {
        List<Route> known = routes;
        return known != null ? known : build();
    }

    private synchronized List<Route> build() {
        List<Route> known = routes;
        if (known == null) {
            Map<String, Set<String>> byTemplate = new HashMap<>();
            added.forEach((template, methods) -> byTemplate.put(template, new TreeSet<>(methods)));
            for (RestEndpoints.Endpoint endpoint : rest.all()) {
                Set<String> methods = byTemplate.computeIfAbsent(endpoint.template(), t -> new TreeSet<>());
                methods.add(endpoint.httpMethod());
                if (endpoint.httpMethod().equals(HttpMethod.GET)) {
                    methods.add(HttpMethod.HEAD);
                }
            }
            known = new ArrayList<>();
            for (Map.Entry<String, Set<String>> entry : byTemplate.entrySet()) {
                known.add(new Route(compile(entry.getKey()), Set.copyOf(entry.getValue())));
            }
            known = List.copyOf(known);
            routes = known;
        }
        return known;
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
