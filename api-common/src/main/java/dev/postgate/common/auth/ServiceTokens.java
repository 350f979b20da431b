package dev.postgate.common.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Mints this service's own short-lived JWT for calls to {@code /internal/v1} of the others,
 * reusing one token until shortly before it expires. A token lives {@link #MARGIN} less than the
 * longest lifetime services accept ({@code postgate.jwt.service.max-lifetime}, set alike for
 * every service: 5 minutes, so 4), or half of it when that is under two minutes.
 */
@ApplicationScoped
public class ServiceTokens {
    static final Duration MARGIN = Duration.ofMinutes(1);

    @Inject
    JwtConfig config;

    @ConfigProperty(name = "quarkus.application.name")
    String serviceName;

    private volatile String token;
    private volatile Instant renewAt = Instant.EPOCH;

    /** The {@code Authorization} header value for an internal call. */
    public String authorization() {
        return "Bearer " + token();
    }

    public String token() {
        if (Instant.now().isAfter(renewAt)) {
            synchronized (this) {
                if (Instant.now().isAfter(renewAt)) {
                    String location = config.service().privateKeyLocation().orElseThrow(() -> new IllegalStateException(
                            "postgate.jwt.service.private-key-location is not configured: this service cannot call others"));
                    Duration max = config.service().maxLifetime();
                    Duration lifetime = max.compareTo(MARGIN.multipliedBy(2)) >= 0 ? max.minus(MARGIN) : max.dividedBy(2);
                    Instant now = Instant.now();
                    token = JwtSigner.sign(config, serviceName, Set.of(JwtVerifier.SERVICE_GROUP), Map.of(), now, lifetime, location);
                    // Renewed with a quarter of its life left, so a call never carries a token about to expire.
                    renewAt = now.plus(lifetime).minus(lifetime.dividedBy(4));
                }
            }
        }
        return token;
    }
}
