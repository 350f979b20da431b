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
 * reusing one token until shortly before it expires.
 */
@ApplicationScoped
public class ServiceTokens {
    private static final Duration LIFETIME = Duration.ofMinutes(4);
    private static final Duration RENEW_BEFORE = Duration.ofSeconds(60);

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
                    Instant now = Instant.now();
                    token = JwtSigner.sign(config, serviceName, Set.of(JwtVerifier.SERVICE_GROUP), Map.of(), now, LIFETIME, location);
                    renewAt = now.plus(LIFETIME).minus(RENEW_BEFORE);
                }
            }
        }
        return token;
    }
}
