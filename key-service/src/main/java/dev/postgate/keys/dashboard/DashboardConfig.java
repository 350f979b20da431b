package dev.postgate.keys.dashboard;

import java.net.URI;
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
    boolean devSignIn();

    /** The development dashboard private key (deploy/local/jwt/private.pem) used by development sign-in. */
    Optional<String> devSigningKeyLocation();

    @WithDefault("8h")
    Duration devTokenLifetime();

    /**
     * The identity provider's authorization endpoint. When set, the page offers "Sign in with
     * {@link #signInProvider()}": it sends the user there (OAuth 2 implicit grant,
     * {@code response_type=token}, with a state and a nonce of its own) and takes the
     * {@code #access_token=} that comes back only with that state. Unset: no such action.
     */
    Optional<URI> signInUrl();

    /** The provider's name on the sign-in button. */
    @WithDefault("your identity provider")
    String signInProvider();

    /** The dashboard's client id at the provider ({@code client_id}), if the provider needs one. */
    Optional<String> signInClientId();

    /** The scopes the page asks the provider for ({@code scope}). */
    @WithDefault("openid")
    String signInScope();
}
