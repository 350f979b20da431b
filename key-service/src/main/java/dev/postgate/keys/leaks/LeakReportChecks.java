package dev.postgate.keys.leaks;

import java.time.Clock;

import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ResourceInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.postgate.common.errors.UnauthorizedException;
import dev.postgate.common.errors.UnauthorizedException.Reason;
import dev.postgate.common.http.ClientAddresses;
import dev.postgate.common.http.RateLimiter;
import io.vertx.core.http.HttpServerRequest;

/**
 * The checks of the leaked-key endpoints (SPEC section 10) that come before their bodies are read
 * (SPEC section 4: 401 and 429 before validation, and a body is read only once the checks before
 * it have passed): the limit per client address of each endpoint, then GitHub's two signature
 * headers. It runs before {@code RequestBodies}, so an address over its limit or an unsigned
 * report is refused with its body unread.
 */
public class LeakReportChecks {
    private final ClientAddresses clientAddresses;
    private final RateLimiter githubLimit;
    private final RateLimiter publicLimit;

    @Inject
    public LeakReportChecks(LeakConfig config, ClientAddresses clientAddresses) {
        this.clientAddresses = clientAddresses;
        this.githubLimit = RateLimiter.perAddress(config.github().perAddressPerMinute(), Clock.systemUTC());
        this.publicLimit = RateLimiter.perAddress(config.publicReports().perAddressPerMinute(), Clock.systemUTC());
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION + 40)
    public void check(ResourceInfo resource, HttpServerRequest http) {
        Class<?> endpoint = resource.getResourceClass();
        if (endpoint == SecretScanningResource.class) {
            limit(githubLimit, clientAddresses.of(http), "secret-scanning reports");
            if (blank(http.getHeader(SecretScanningResource.KEY_IDENTIFIER)) || blank(http.getHeader(SecretScanningResource.SIGNATURE))) {
                throw new UnauthorizedException(Reason.MISSING,
                        "A secret-scanning report needs GitHub's " + SecretScanningResource.KEY_IDENTIFIER + " and " + SecretScanningResource.SIGNATURE + " headers.");
            }
        } else if (endpoint == LeakReportResource.class) {
            limit(publicLimit, clientAddresses.of(http), "leaked-key reports");
        }
    }

    private static boolean blank(String header) {
        return header == null || header.isBlank();
    }

    private static void limit(RateLimiter limiter, String clientAddress, String what) {
        if (!limiter.acquire(clientAddress).allowed()) {
            throw limiter.refusal(clientAddress, what + " from this address");
        }
    }
}
