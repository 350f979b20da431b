package dev.postgate.common.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.consumer.InvalidJwtException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.postgate.common.errors.UnauthorizedException;
import dev.postgate.common.errors.UnauthorizedException.Reason;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * Verifies dashboard and service JWTs with SmallRye JWT: RS256 only, issuer, audience, expiry
 * and signature, each kind against its own public key, so a token of one kind never passes as
 * the other.
 *
 * <p>A token that passed is remembered until it expires (issue 13): callers send the same token
 * for minutes (publish-service reuses its service token for every reservation), and checking its
 * RSA signature and parsing its JSON again was a third of workspace-service's CPU on the credit
 * path. A token is a signed, immutable value, so the answer cannot change before its {@code exp};
 * a remembered token past it is refused as expired, as the parser would. Only tokens that passed
 * are remembered, each kind in its own cache.
 */
@ApplicationScoped
public class JwtVerifier {
    public static final String SERVICE_GROUP = "service";

    /** Distinct tokens remembered per kind; a service sends one at a time, a dashboard user one per sign-in. */
    static final int REMEMBERED_TOKENS = 10_000;

    private final VerificationKeys dashboardKeys;
    private final VerificationKeys serviceKeys;
    private final JwtConfig config;
    private final Clock clock;
    private final Cache<String, Passed<DashboardUser>> dashboardTokens;
    private final Cache<String, Passed<String>> serviceTokens;

    /** What a token that passed verification stands for, and until when (its {@code exp} plus the clock skew). */
    private record Passed<T>(T principal, Instant until) {
    }

    @Inject
    public JwtVerifier(JwtConfig config) {
        this(config, Clock.systemUTC());
    }

    JwtVerifier(JwtConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.dashboardTokens = Caffeine.newBuilder().maximumSize(REMEMBERED_TOKENS).expireAfterWrite(Duration.ofHours(24)).build();
        this.serviceTokens = Caffeine.newBuilder().maximumSize(REMEMBERED_TOKENS)
                .expireAfterWrite(config.service().maxLifetime().plus(config.clockSkew())).build();
        this.dashboardKeys = keys("dashboard", config.dashboard().publicKeyLocation());
        this.serviceKeys = keys("service", config.service().publicKeyLocation());
    }

    private VerificationKeys keys(String kind, String location) {
        return new VerificationKeys(kind, location, at -> new DefaultJWTParser(context(new JWTAuthContextInfo(at, config.issuer()))),
                jwks -> {
                    JWTAuthContextInfo info = new JWTAuthContextInfo();
                    info.setIssuedBy(config.issuer());
                    info.setPublicKeyContent(jwks);
                    return new DefaultJWTParser(context(info));
                });
    }

    /** At start (on the main thread, before requests are served): the keys of a JWKS URL. */
    void onStart(@Observes StartupEvent event) {
        refreshRemoteKeys();
    }

    /** Every {@code postgate.jwt.jwks-refresh-interval}, on the scheduler's worker thread: the keys of a JWKS URL again. */
    @Scheduled(every = "${postgate.jwt.jwks-refresh-interval}", delayed = "${postgate.jwt.jwks-refresh-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refreshRemoteKeys() {
        dashboardKeys.refresh();
        serviceKeys.refresh();
    }

    private JWTAuthContextInfo context(JWTAuthContextInfo info) {
        info.setExpectedAudience(Set.of(config.audience()));
        info.setSignatureAlgorithm(Set.of(SignatureAlgorithm.RS256));
        info.setClockSkew((int) config.clockSkew().toSeconds());
        // Not iat (SPEC section 3 does not name it; RFC 7519 makes it optional): a service token's is checked below.
        // SmallRye requires one unless its time-to-live check is off (0), which is that check of ours.
        info.setRequiredClaims(Set.of("sub", "exp"));
        info.setMaxTimeToLiveSecs(0L);
        return info;
    }

    /** A dashboard user's token: {@code org_id} and a group {@code admin} or {@code member}. */
    public DashboardUser dashboard(String token) {
        return remembered(dashboardTokens, token, "dashboard", this::verifyDashboard);
    }

    private Passed<DashboardUser> verifyDashboard(String token) {
        JsonWebToken jwt = parse(dashboardKeys, token, "dashboard");
        // Any JSON type parses; only text is an org id (a number or a list is a bad token, 401, not a class cast).
        String orgId = jwt.getClaim("org_id") instanceof String text ? text : null;
        Set<String> groups = jwt.getGroups();
        if (orgId == null || orgId.isBlank() || groups.contains(SERVICE_GROUP)) {
            throw new UnauthorizedException(Reason.INVALID, "This path needs a dashboard token with an org_id claim.");
        }
        Role role = groups.contains(Role.ADMIN.wire()) ? Role.ADMIN
                : groups.contains(Role.MEMBER.wire()) ? Role.MEMBER : null;
        return new Passed<>(new DashboardUser(jwt.getSubject(), orgId, role), until(jwt));
    }

    /** A service's token: {@code groups = [service]}, no {@code org_id}, short-lived. */
    public String service(String token) {
        return remembered(serviceTokens, token, "service", this::verifyService);
    }

    private Passed<String> verifyService(String token) {
        JsonWebToken jwt = parse(serviceKeys, token, "service");
        // Its lifetime is read from iat: a service token without one is not a service token.
        if (!jwt.getGroups().contains(SERVICE_GROUP) || jwt.containsClaim("org_id") || !jwt.containsClaim("iat")
                || jwt.getExpirationTime() - jwt.getIssuedAtTime() > config.service().maxLifetime().toSeconds()) {
            throw new UnauthorizedException(Reason.INVALID,
                    "This path needs a service token (groups [service], no org_id, at most "
                            + config.service().maxLifetime().toSeconds() + " s).");
        }
        return new Passed<>(jwt.getSubject(), until(jwt));
    }

    /** The principal of a token that passed before and has not expired since, or the verifier's answer. */
    private <T> T remembered(Cache<String, Passed<T>> cache, String token, String kind, Function<String, Passed<T>> verify) {
        Passed<T> passed = cache.getIfPresent(token);
        if (passed == null) {
            passed = verify.apply(token);
            cache.put(token, passed);
        }
        if (!clock.instant().isBefore(passed.until())) {
            cache.invalidate(token);
            throw new UnauthorizedException(Reason.EXPIRED, "The " + kind + " token has expired.");
        }
        return passed.principal();
    }

    private Instant until(JsonWebToken jwt) {
        return Instant.ofEpochSecond(jwt.getExpirationTime()).plus(config.clockSkew());
    }

    private static JsonWebToken parse(VerificationKeys keys, String token, String kind) {
        try {
            return keys.parserFor(token).parse(token);
        } catch (ParseException e) {
            if (e.getCause() instanceof InvalidJwtException invalid && invalid.hasExpired()) {
                throw new UnauthorizedException(Reason.EXPIRED, "The " + kind + " token has expired.");
            }
            // Signed with a key not in hand: the identity provider may have rotated its keys.
            keys.refreshSoon();
            throw new UnauthorizedException(Reason.INVALID,
                    "The " + kind + " token is not valid here (signature, algorithm, issuer, audience or expiry).");
        }
    }

    public record DashboardUser(String userId, String orgId, Role role) {
    }
}
