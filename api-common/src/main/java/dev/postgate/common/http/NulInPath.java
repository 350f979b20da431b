package dev.postgate.common.http;

import jakarta.ws.rs.Priorities;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.postgate.common.errors.NotFoundException;
import io.vertx.ext.web.RoutingContext;

/**
 * A path with an encoded NUL names nothing: no id, name or file has one, and the database would
 * refuse it as text. It is 404, after the credential and the key's checks (SPEC section 4: 401,
 * 403 and 400 come before 404) and before any body is read or any statement runs.
 */
public class NulInPath {
    static final String ENCODED_NUL = "%00";

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION + 40)
    public void namesNothing(RoutingContext rc) {
        if (rc.request().path().contains(ENCODED_NUL)) {
            throw NotFoundException.path(rc.normalizedPath());
        }
    }
}
