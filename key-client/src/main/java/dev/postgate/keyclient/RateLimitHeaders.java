package dev.postgate.keyclient;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import dev.postgate.common.http.RateLimiter;

/** {@code X-RateLimit-Limit}, {@code -Remaining}, {@code -Reset} on every key-authenticated answer, errors included. */
public class RateLimitHeaders {

    @ServerResponseFilter
    public void add(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(KeyGate.RATE_DECISION) instanceof RateLimiter.Decision decision) {
            decision.headers(response.getHeaders()::putSingle);
        }
    }
}
