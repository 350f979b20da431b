package dev.postgate.common.http;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.postgate.common.api.UrlPaths;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * The media types each REST endpoint declares it reads and writes ({@code @Consumes},
 * {@code @Produces}), so that a wrongly typed request is answered in SPEC section 4's order: 415
 * or 406 after the credential and the key's checks (401, 429, 403, 400), not before them. The REST
 * layer decides both while it routes, before any filter that authenticates. So the edge sets a
 * type the endpoint cannot take aside ({@link #setAside}) and hands the REST layer one it takes, and
 * {@link #refuse} answers 415 or 406 once the checks before them have passed, before the body is
 * read or the method runs.
 */
@ApplicationScoped
public class DeclaredTypes {
    static final String REFUSED_CONTENT_TYPE = "postgate.refused_content_type";
    static final String REFUSED_ACCEPT = "postgate.refused_accept";
    private static final List<MediaType> JSON_ONLY = List.of(MediaType.APPLICATION_JSON_TYPE);

    private record Route(Pattern path, String method, List<MediaType> consumes, List<MediaType> produces) {
    }

    @Inject
    RestEndpoints rest;

    private volatile List<Route> routes;

    /**
     * At the edge, before routing: a Content-Type (of a request that has a body) or an Accept the
     * endpoint of this path cannot take is set aside.
     */
    void setAside(RoutingContext rc, String path, boolean hasBody) {
        HttpServerRequest request = rc.request();
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        String accept = readableAccept(rc, request.getHeader(HttpHeaders.ACCEPT));
        boolean checkType = type != null && hasBody;
        boolean checkAccept = accept != null && !takesJson(accept);
        if (!checkType && !checkAccept) {
            // A request without a body that takes JSON (a GET, whoami's above all) costs no lookup.
            return;
        }
        List<Route> candidates = routesOf(UrlPaths.withoutTrailingSlash(path), request.method().name());
        if (candidates.isEmpty()) {
            return;
        }
        if (checkType && candidates.stream().noneMatch(route -> takes(route.consumes(), type))) {
            MediaType json = asJson(type);
            if (json != null && candidates.stream().anyMatch(route -> takes(route.consumes(), MediaType.APPLICATION_JSON))) {
                request.headers().set(HttpHeaders.CONTENT_TYPE, json.toString());
            } else {
                rc.put(REFUSED_CONTENT_TYPE, type);
                request.headers().set(HttpHeaders.CONTENT_TYPE, candidates.get(0).consumes().get(0).toString());
            }
        }
        if (checkAccept && candidates.stream().noneMatch(route -> answersAny(route.produces(), accept))) {
            rc.put(REFUSED_ACCEPT, accept);
            request.headers().set(HttpHeaders.ACCEPT, MediaType.WILDCARD);
        }
    }

    /**
     * The Accept to route by: as sent when the REST layer can read every range of it; without the
     * ranges it cannot read (the REST layer refuses a range it cannot parse while routing, before the
     * credential, as a 406, and one whose quality is not a number while answering, as a 500); and when
     * none can be read, set aside to be refused like an Accept no endpoint answers (null). The two
     * usual values are not parsed.
     */
    private static String readableAccept(RoutingContext rc, String accept) {
        if (accept == null || accept.equals("*/*") || accept.equalsIgnoreCase("application/json")) {
            return accept;
        }
        List<String> readable = new ArrayList<>();
        boolean unreadable = false;
        for (String part : accept.split(",")) {
            String range = part.trim();
            if (range.isEmpty()) {
                continue;
            }
            if (readable(range)) {
                readable.add(range);
            } else {
                unreadable = true;
            }
        }
        if (!unreadable) {
            return accept;
        }
        if (readable.isEmpty()) {
            rc.put(REFUSED_ACCEPT, accept);
            rc.request().headers().set(HttpHeaders.ACCEPT, MediaType.WILDCARD);
            return null;
        }
        String kept = String.join(", ", readable);
        rc.request().headers().set(HttpHeaders.ACCEPT, kept);
        return kept;
    }

    /** A media range the REST layer reads: a type, and a quality, if any, that is a number. */
    private static boolean readable(String range) {
        try {
            String q = MediaType.valueOf(range).getParameters().get("q");
            if (q != null) {
                Float.parseFloat(q);
            }
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * An Accept with a range {@code application/json} matches ({@code *}{@code /*},
     * {@code application/*}, {@code application/json}), which every endpoint answers (a media
     * download declares no type and answers any Accept with the file's own). Another type
     * that names JSON ({@code text/json}, {@code application/vnd.api+json}) is not one: the REST
     * layer refuses it while routing, so it is looked up like any other.
     */
    private static boolean takesJson(String accept) {
        if (accept.equals("*/*") || accept.equalsIgnoreCase("application/json")) {
            return true;
        }
        return (accept.contains("*") || accept.toLowerCase(Locale.ROOT).contains("json")) && answersAny(JSON_ONLY, accept);
    }

    /** A range the client says it does not take: quality 0 (a number: readableAccept dropped the others). */
    private static boolean refusedByQuality(MediaType wanted) {
        String q = wanted.getParameters().get("q");
        return q != null && Float.parseFloat(q) == 0;
    }

    /** After the credential and the key's checks (and the leaked-key endpoints' own, at + 40): 415 or 406 for what the edge set aside. */
    @ServerRequestFilter(priority = Priorities.AUTHORIZATION + 45)
    public void refuse(RoutingContext rc) {
        String type = rc.get(REFUSED_CONTENT_TYPE);
        if (type != null) {
            throw new NotSupportedException(type);
        }
        if (rc.get(REFUSED_ACCEPT) != null) {
            throw new NotAcceptableException();
        }
    }

    /** The Content-Type the client sent, before the edge set it aside. */
    static String sentContentType(RoutingContext rc) {
        String aside = rc.get(REFUSED_CONTENT_TYPE);
        return aside != null ? aside : rc.request().getHeader(HttpHeaders.CONTENT_TYPE);
    }

    /**
     * The one test of a JSON body type: {@code application/json} or an RFC 6839 {@code +json}
     * subtype ({@code application/merge-patch+json}, {@code application/vnd.…+json}), with any
     * parameters. A body sent without a type is read as JSON too.
     */
    public static boolean isJsonOrUntyped(String type) {
        return type == null || type.isBlank() || asJson(type) != null;
    }

    /** A JSON type (see {@link #isJsonOrUntyped}) as {@code application/json} with its parameters; null for any other type. */
    private static MediaType asJson(String type) {
        try {
            MediaType sent = MediaType.valueOf(type.trim());
            String subtype = sent.getSubtype().toLowerCase(Locale.ROOT);
            boolean json = subtype.endsWith("+json") || subtype.equals("json") && sent.getType().equalsIgnoreCase("application");
            return json ? new MediaType(MediaType.APPLICATION_JSON_TYPE.getType(), MediaType.APPLICATION_JSON_TYPE.getSubtype(), sent.getParameters())
                    : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether an endpoint that declares {@code consumes} (none: any) takes {@code type}. */
    private static boolean takes(List<MediaType> consumes, String type) {
        if (consumes.isEmpty()) {
            return true;
        }
        MediaType sent;
        try {
            sent = MediaType.valueOf(type.trim());
        } catch (IllegalArgumentException e) {
            return false; // unreadable: set aside too, or the REST layer refuses it while routing, before the credential
        }
        return consumes.stream().anyMatch(c -> c.isCompatible(sent));
    }

    /** Whether an endpoint that declares {@code produces} (none: any) can answer one of the types {@code accept} asks for. */
    private static boolean answersAny(List<MediaType> produces, String accept) {
        if (produces.isEmpty()) {
            return true;
        }
        for (String part : accept.split(",")) {
            String range = part.trim();
            if (range.isEmpty()) {
                continue;
            }
            MediaType wanted = MediaType.valueOf(range); // readable: readableAccept dropped the others
            if (!refusedByQuality(wanted) && produces.stream().anyMatch(p -> p.isCompatible(wanted))) {
                return true;
            }
        }
        return false;
    }

    private List<Route> routesOf(String path, String method) {
        List<Route> known = routes;
        if (known == null) {
            known = build();
        }
        String wanted = method.equals("HEAD") ? "GET" : method;
        List<Route> found = new ArrayList<>(1);
        for (Route route : known) {
            if (route.method().equals(wanted) && route.path().matcher(path).matches()) {
                found.add(route);
            }
        }
        return found;
    }

    private synchronized List<Route> build() {
        List<Route> known = routes;
        if (known == null) {
            known = new ArrayList<>();
            for (RestEndpoints.Endpoint endpoint : rest.all()) {
                Consumes consumes = declared(endpoint, Consumes.class);
                Produces produces = declared(endpoint, Produces.class);
                known.add(new Route(AllowedMethods.compile(endpoint.template()), endpoint.httpMethod().toUpperCase(Locale.ROOT),
                        types(consumes == null ? null : consumes.value()), types(produces == null ? null : produces.value())));
            }
            known = List.copyOf(known);
            routes = known;
        }
        return known;
    }

    /** The method's annotation, else its class's, else null. */
    private static <A extends Annotation> A declared(RestEndpoints.Endpoint endpoint, Class<A> type) {
        A onMethod = endpoint.method().getAnnotation(type);
        return onMethod != null ? onMethod : endpoint.resource().getAnnotation(type);
    }

    /** The media types of a {@code @Consumes} or {@code @Produces} value (none declared: any). */
    private static List<MediaType> types(String[] values) {
        List<MediaType> types = new ArrayList<>();
        for (String value : values == null ? new String[0] : values) {
            for (String one : value.split(",")) {
                types.add(MediaType.valueOf(one.trim()));
            }
        }
        return List.copyOf(types);
    }
}
