package dev.postgate.keys.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The dashboard's identity provider settings: what the page gets, and the addresses refused at start-up. */
class ProviderSignInTest {

    @Test
    void withoutAnAddressThePageOffersNoProvider() {
        assertTrue(signIn(null, null).pageSettings().isEmpty());
    }

    @Test
    void thePageGetsTheAddressNameClientIdAndScope() {
        Map<String, Object> settings = signIn("https://login.example.com/authorize?audience=postgate", "postgate-dashboard")
                .pageSettings().orElseThrow();
        assertEquals(Map.of("url", "https://login.example.com/authorize?audience=postgate", "name", "Example SSO",
                "client_id", "postgate-dashboard", "scope", "openid"), settings);
        assertNull(signIn("http://127.0.0.1:9000/authorize", null).pageSettings().orElseThrow().get("client_id"),
                "no client id configured, none sent");
    }

    @Test
    void plainHttpIsOnlyForAProviderOnThisMachine() {
        signIn("http://localhost:8180/realms/postgate/protocol/openid-connect/auth", null).check(null);
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> signIn("http://login.example.com/authorize", null).check(null));
        assertTrue(refused.getMessage().contains("postgate.dashboard.sign-in-url"), refused.getMessage());
    }

    @Test
    void relativeOrFragmentAddressesOrOtherSchemesStopTheStart() {
        for (String url : new String[] { "/authorize", "javascript:alert(1)", "https://login.example.com/authorize#x",
                "ftp://login.example.com/authorize" }) {
            assertThrows(IllegalStateException.class, () -> signIn(url, null).check(null), url);
        }
    }

    private static ProviderSignIn signIn(String url, String clientId) {
        ProviderSignIn signIn = new ProviderSignIn();
        signIn.config = new DashboardConfig() {
            @Override
            public boolean devSignIn() {
                return false;
            }

            @Override
            public Optional<String> devSigningKeyLocation() {
                return Optional.empty();
            }

            @Override
            public Duration devTokenLifetime() {
                return Duration.ofHours(8);
            }

            @Override
            public Optional<URI> signInUrl() {
                return Optional.ofNullable(url).map(URI::create);
            }

            @Override
            public String signInProvider() {
                return "Example SSO";
            }

            @Override
            public Optional<String> signInClientId() {
                return Optional.ofNullable(clientId);
            }

            @Override
            public String signInScope() {
                return "openid";
            }
        };
        return signIn;
    }
}
