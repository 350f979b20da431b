package dev.postgate.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.postgate.common.errors.ApiException;
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

    /**
     * SPEC section 3 names a dashboard token's claims (iss, aud, sub, org_id, groups); iat is not
     * one of them, and RFC 7519 makes it optional. Found by review: a token without iat, as an
     * identity provider may issue, was 401. A service token still needs one: its lifetime (at most
     * 5 minutes) is read from it, and without it the token is 401, not a 500.
     */
    @Test
    void aDashboardTokenWithoutIatPassesAndAServiceTokenWithoutOneIsInvalid() {
        long exp = clock.instant().plusSeconds(120).getEpochSecond();
        String dashboard = Tokens.signWithoutIssuedAt(java.util.Map.of("iss", "postgate", "aud", "postgate", "sub", "user_no_iat",
                "org_id", "org_no_iat", "groups", java.util.List.of("member"), "exp", exp), "private.pem");
        assertEquals(new JwtVerifier.DashboardUser("user_no_iat", "org_no_iat", Role.MEMBER), verifier.dashboard(dashboard));
        String service = Tokens.signWithoutIssuedAt(java.util.Map.of("iss", "postgate", "aud", "postgate", "sub", "publish-service",
                "groups", java.util.List.of("service"), "exp", exp), "service-private.pem");
        assertEquals(Reason.INVALID, assertThrows(UnauthorizedException.class, () -> verifier.service(service)).reason());
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

    /**
     * An identity provider's JWKS URL is fetched off the request threads (at start, on a schedule,
     * and in the background when a token does not pass): a request never waits for the identity
     * provider, which may be slow or down. Until the keys are in, a dashboard token is 503
     * UNAVAILABLE, at once. Found by review: the parser fetched the JWKS on the thread that
     * verified the token, an event loop, on the first token and again every hour.
     */
    @Test
    void aJwksUrlIsFetchedOffTheThreadThatVerifies() throws Exception {
        PublicJsonWebKey published = PublicJsonWebKey.Factory.newPublicJwk(publicKey("public.pem"));
        AtomicReference<String> jwks = new AtomicReference<>("{\"keys\": [" + published.toJson() + "]}");
        CountDownLatch answer = new CountDownLatch(1);
        AtomicInteger fetches = new AtomicInteger();
        HttpServer provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        provider.createContext("/jwks", exchange -> {
            fetches.incrementAndGet();
            try {
                answer.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = jwks.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        provider.setExecutor(Executors.newCachedThreadPool());
        provider.start();
        try {
            JwtVerifier remote = new JwtVerifier(config(Duration.ofMinutes(5), Optional.empty(),
                    "http://127.0.0.1:" + provider.getAddress().getPort() + "/jwks"), Clock.systemUTC());
            String token = Tokens.admin("org_jwks");
            // The provider holds its answer: the verifying thread does not wait for it.
            ApiException notYet = CompletableFuture.supplyAsync(() -> assertThrows(ApiException.class, () -> remote.dashboard(token)))
                    .get(10, TimeUnit.SECONDS);
            assertEquals(503, notYet.status(), notYet.getMessage());
            answer.countDown();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                try {
                    return remote.dashboard(token).orgId().equals("org_jwks");
                } catch (ApiException e) {
                    return false;
                }
            });
            // A key published without an id verifies a token that names one, as the parser picks the only key.
            String named = Tokens.dashboardClaims("org_jwks_named", "admin").jws().keyId("any-1")
                    .algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.RS256).sign(Tokens.keyLocation("private.pem"));
            assertEquals("org_jwks_named", remote.dashboard(named).orgId());
            int fetched = fetches.get();
            assertEquals(Role.ADMIN, remote.dashboard(Tokens.admin("org_jwks_2")).role());
            assertEquals(fetched, fetches.get(), "a token that passes asks the provider nothing");
            // The provider names its key; the scheduled refresh fetches the keys again.
            published.setKeyId("first-1");
            jwks.set("{\"keys\": [" + published.toJson() + "]}");
            remote.refreshRemoteKeys();
            assertEquals(fetched + 1, fetches.get(), "the scheduled refresh fetches the keys again");
            assertEquals("org_jwks_2", remote.dashboard(Tokens.admin("org_jwks_2")).orgId());

            // The provider rotates: a token names a key published after the keys in hand were fetched.
            String rotated = Tokens.dashboardClaims("org_jwks_rotated", "admin").jws().keyId("rotated-1")
                    .algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.RS256).sign(Tokens.keyLocation("private.pem"));
            published.setKeyId("rotated-1");
            jwks.set("{\"keys\": [" + published.toJson() + "]}");
            ApiException notInHand = assertThrows(ApiException.class, () -> remote.dashboard(rotated));
            assertEquals(503, notInHand.status(), "not 401: the dashboard would sign the user out");
            assertEquals("5", notInHand.headers().get("Retry-After"));
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                try {
                    return remote.dashboard(rotated).orgId().equals("org_jwks_rotated");
                } catch (ApiException e) {
                    return false;
                }
            });
        } finally {
            provider.stop(0);
        }
    }

    private static PublicKey publicKey(String file) throws Exception {
        String pem = Files.readString(Path.of(URI.create(Tokens.keyLocation(file))));
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    }

    private static JwtConfig config(Duration maxLifetime, Optional<String> privateKeyLocation) {
        return config(maxLifetime, privateKeyLocation, Tokens.keyLocation("public.pem"));
    }

    private static JwtConfig config(Duration maxLifetime, Optional<String> privateKeyLocation, String dashboardKeyLocation) {
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
            public Duration jwksRefreshInterval() {
                return Duration.ofMinutes(5);
            }

            @Override
            public Dashboard dashboard() {
                return () -> dashboardKeyLocation;
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
