package dev.postgate.common.auth;

import java.util.List;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;

import dev.postgate.common.errors.UnauthorizedException;
import dev.postgate.common.errors.UnauthorizedException.Reason;
import dev.postgate.common.http.Headers;
import dev.postgate.common.keys.KeyFormat;
import io.vertx.core.http.HttpServerRequest;

/**
 * The credential a request carries: {@code Authorization: Bearer <value>} (scheme matched
 * case-insensitively, one space) and/or {@code x-api-key}. Both present and different is 401
 * {@code malformed}.
 */
public record Credential(Kind kind, String value) {
    public enum Kind { NONE, API_KEY, JWT }

    /**
     * The key sent to a path that takes API keys only (whoami), refused as the authentication
     * filter refuses it: 401 missing without a credential, 401 invalid for a JWT.
     */
    public String requireApiKey() {
        return switch (kind) {
            case API_KEY -> value;
            case JWT -> throw UnauthorizedException.jwtWhereApiKey();
            case NONE -> throw UnauthorizedException.missing(true, false, false);
        };
    }

    public static Credential from(ContainerRequestContext request, String brand) {
        return from(one(request.getHeaders().get(HttpHeaders.AUTHORIZATION), HttpHeaders.AUTHORIZATION),
                one(request.getHeaders().get(Headers.API_KEY), Headers.API_KEY), brand);
    }

    /** The same, for a route outside the REST layer (whoami's fast path). */
    public static Credential from(HttpServerRequest request, String brand) {
        return from(one(request.headers().getAll(HttpHeaders.AUTHORIZATION), HttpHeaders.AUTHORIZATION),
                one(request.headers().getAll(Headers.API_KEY), Headers.API_KEY), brand);
    }

    /**
     * A credential header's one value: sent on several lines with different values it is 401
     * {@code malformed} on every path (the REST layer would join them with commas, whoami's route
     * would take the first), as two different credentials are.
     */
    private static String one(List<String> values, String name) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        String first = values.get(0);
        for (int i = 1; i < values.size(); i++) {
            if (!first.equals(values.get(i))) {
                throw new UnauthorizedException(Reason.MALFORMED, name + " was sent more than once with different values; send one credential.");
            }
        }
        return first;
    }

    public static Credential from(String authorization, String apiKeyHeader, String brand) {
        String bearer = null;
        if (authorization != null) {
            if (authorization.length() < 8 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                    || authorization.charAt(7) == ' ' || authorization.substring(7).isBlank()) {
                throw new UnauthorizedException(Reason.MALFORMED,
                        "The Authorization header must be 'Bearer <credential>' with one space.");
            }
            bearer = authorization.substring(7);
        }
        if (apiKeyHeader != null) {
            if (bearer != null && !bearer.equals(apiKeyHeader)) {
                throw new UnauthorizedException(Reason.MALFORMED,
                        "Both Authorization and x-api-key were sent with different values; send one credential.");
            }
            return new Credential(Kind.API_KEY, apiKeyHeader);
        }
        if (bearer == null) {
            return new Credential(Kind.NONE, null);
        }
        return new Credential(KeyFormat.looksLikeKey(bearer, brand) ? Kind.API_KEY : Kind.JWT, bearer);
    }
}
