package dev.postgate.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.postgate.common.errors.UnauthorizedException;
import dev.postgate.common.errors.UnauthorizedException.Reason;
import dev.postgate.common.testing.MutableClock;
import dev.postgate.common.testing.Tokens;

/**
 * Tokens that passed are remembered until they expire (issue 13); remembering must change no
 * answer: an expired token is refused however often it passed before, and a token of one kind
 * never passes as the other.
 */
class JwtVerifierTest {
    private static final Duration SKEW = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock(Instant.now());
    private final JwtVerifier verifier = new JwtVerifier(config(Duration.ofMinutes(5), Optional.empty()), clock);

    @Test
    void aServiceTokenThatPassedIsRefusedAsExpiredOnceItsExpiryAndTheSkewHavePassed() {
        // Times from the verifier's clock: signing may wait for the development keys to be made.
        Instant now = clock.instant();
        String token = Tokens.signService(Tokens.serviceClaims("publish-service").issuedAt(now).expiresAt(now.plusSeconds(60)));
        assertEquals("publish-service", verifier.service(token));
        assertEquals("publish-service", verifier.service(token));

        clock.advance(Duration.ofSeconds(60).plus(SKEW).minusSeconds(1));
        assertEquals("publish-service", verifier.service(token), "within the skew it still passes, as the parser allows");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Reason.EXPIRED, assertThrows(UnauthorizedException.class, () -> verifier.service(token)).reason());
        assertEquals(Reason.EXPIRED, assertThrows(UnauthorizedException.class, () -> verifier.service(token)).reason());
    }

    @Test
    void aDashboardTokenThatPassedIsRefusedAsExpiredOnceItExpires() {
        // Times from the verifier's clock: signing may wait for the development keys to be made.
        Instant now = clock.instant();
        String token = Tokens.signDashboard(Tokens.dashboardClaims("org_remembered", "admin").issuedAt(now)
                .expiresAt(now.plusSeconds(600)));
        assertEquals(new JwtVerifier.DashboardUser("user_admin_org_remembered", "org_remembered", Role.ADMIN),
                verifier.dashboard(token));
        clock.advance(Duration.ofSeconds(600).plus(SKEW));
        assertEquals(Reason.EXPIRED, assertThrows(UnauthorizedException.class, () -> verifier.dashboard(token)).reason());
    }

    @Test
    void aTokenThatPassedAsOneKindStillFailsAsTheOther() {
        String dashboard = Tokens.admin("org_kinds");
        String service = Tokens.service("publish-service");
        verifier.dashboard(dashboard);
        verifier.service(service);
        assertEquals(Reason.INVALID, assertThrows(UnauthorizedException.class, () -> verifier.service(dashboard)).reason());
        assertEquals(Reason.INVALID, assertThrows(UnauthorizedException.class, () -> verifier.dashboard(service)).reason());
    }

    /** Found by review: a dashboard token whose org_id is a number, a boolean or a list was a 500 (a class cast), not a 401. */
    @Test
    void aDashboardTokenWhoseOrgIdIsNotTextIsInvalid() {
        for (Object orgId : new Object[] { 42, true, java.util.List.of("org_a") }) {
            String token = Tokens.signDashboard(Tokens.dashboardClaims("org_typed", "admin").claim("org_id", orgId));
            assertEquals(Reason.INVALID, assertThrows(UnauthorizedException.class, () -> verifier.dashboard(token)).reason(),
                    String.valueOf(orgId));
        }
    }

    @Test
    void aTokenThatFailedFailsAgain() {
        String stranger = Tokens.signWithStrangerKey(Tokens.serviceClaims("publish-service"));
        for (int i = 0; i < 2; i++) {
            assertEquals(Reason.INVALID, assertThrows(UnauthorizedException.class, () -> verifier.service(stranger)).reason());
        }
    }

    @Test
    void aServiceMintsTokensNoLongerLivedThanServicesAccept() {
        for (Duration max : new Duration[] { Duration.ofMinutes(5), Duration.ofMinutes(2), Duration.ofSeconds(30) }) {
            JwtConfig config = config(max, Optional.of(Tokens.keyLocation("service-private.pem")));
            ServiceTokens tokens = new ServiceTokens();
            tokens.config = config;
            tokens.serviceName = "publish-service";
            assertEquals("publish-service", new JwtVerifier(config, Clock.systemUTC()).service(tokens.token()), "max-lifetime " + max);
        }
    }

    private static JwtConfig config(Duration maxLifetime, Optional<String> privateKeyLocation) {
        return new JwtConfig() {
            @Override
            public String issuer() {
                return "postgate";
            }

            @Override
            public String audience() {
                return "postgate";
            }

            @Override
            public Duration clockSkew() {
                return SKEW;
            }

            @Override
            public Dashboard dashboard() {
                return () -> Tokens.keyLocation("public.pem");
            }

            @Override
            public Service service() {
                return new Service() {
                    @Override
                    public String publicKeyLocation() {
                        return Tokens.keyLocation("service-public.pem");
                    }

                    @Override
                    public Optional<String> privateKeyLocation() {
                        return privateKeyLocation;
                    }

                    @Override
                    public Duration maxLifetime() {
                        return maxLifetime;
                    }
                };
            }
        };
    }
}
