package dev.postgate.keys.dashboard;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.StartupEvent;

/** The dashboard's sign-in through the identity provider: its settings, checked at start-up, as the page needs them. */
@ApplicationScoped
public class ProviderSignIn {
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]");

    @Inject
    DashboardConfig config;

    /** A wrong address stops the start, not the first person who presses the button. */
    void check(@Observes StartupEvent event) {
        pageSettings();
    }

    /** What the page needs to send people to the provider ({@code url}, {@code name}, …), or empty when none is configured. */
    public Optional<Map<String, Object>> pageSettings() {
        if (config.signInUrl().isEmpty()) {
            return Optional.empty();
        }
        URI url = config.signInUrl().get();
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        boolean localHttp = "http".equalsIgnoreCase(url.getScheme()) && url.getHost() != null
                && LOOPBACK.contains(url.getHost().toLowerCase(Locale.ROOT));
        if (!(https || localHttp) || url.getHost() == null || url.getRawFragment() != null) {
            // The provider's page takes passwords: plain http only for a provider on this machine.
            throw new IllegalStateException("postgate.dashboard.sign-in-url must be the https address of the identity provider's "
                    + "authorization endpoint (http only on 127.0.0.1 or localhost), without a fragment; it is '" + url + "'");
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("url", url.toString());
        settings.put("name", config.signInProvider());
        config.signInClientId().ifPresent(id -> settings.put("client_id", id));
        settings.put("scope", config.signInScope());
        return Optional.of(settings);
    }
}
