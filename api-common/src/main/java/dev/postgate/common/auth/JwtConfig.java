package dev.postgate.common.auth;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Dashboard and service JWTs (RS256) come from two separate key pairs. Locations are
 * {@code file:} paths, classpath resources or (for verification) a JWKS URL, fetched off the
 * request threads ({@link VerificationKeys}; {@code postgate.jwt.jwks-refresh-interval}).
 */
@ConfigMapping(prefix = "postgate.jwt")
public interface JwtConfig {
    @WithDefault("postgate")
    String issuer();

    @WithDefault("postgate")
    String audience();

    /** Tolerance on exp/iat between machines. */
    @WithDefault("30s")
    Duration clockSkew();

    /**
     * How often a JWKS URL's keys are fetched again (they are also fetched at start, and soon after a
     * token signed with a key not in hand); the default is in microprofile-config.properties.
     */
    Duration jwksRefreshInterval();

    Dashboard dashboard();

    Service service();

    interface Dashboard {
        /** The identity provider's public key (PEM) or JWKS URL. */
        String publicKeyLocation();
    }

    interface Service {
        String publicKeyLocation();

        /** Only services that call others need the private key to sign their own tokens. */
        Optional<String> privateKeyLocation();

        /** Longest lifetime accepted for a service token. */
        @WithDefault("5m")
        Duration maxLifetime();
    }
}
