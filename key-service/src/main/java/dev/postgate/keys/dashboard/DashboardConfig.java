package dev.postgate.keys.dashboard;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The developer dashboard page served at /dashboard. */
@ConfigMapping(prefix = "postgate.dashboard")
public interface DashboardConfig {
    /**
     * Development sign-in: the page mints its own dashboard token for any organisation. Off unless
     * configured (the local stack and the dev/test profiles turn it on); never on in production.
     */
    @WithDefault("false")
    boolean devSignIn();

    /** The development dashboard private key (deploy/local/jwt/private.pem) used by development sign-in. */
    Optional<String> devSigningKeyLocation();

    @WithDefault("8h")
    Duration devTokenLifetime();
}
