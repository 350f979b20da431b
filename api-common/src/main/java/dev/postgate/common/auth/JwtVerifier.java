package dev.postgate.common.auth;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.consumer.InvalidJwtException;

import dev.postgate.common.errors.UnauthorizedException;
import dev.postgate.common.errors.UnauthorizedException.Reason;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * Verifies dashboard and service JWTs with SmallRye JWT: RS256 only, issuer, audience, expiry
 * and signature, each kind against its own public key, so a token of one kind never passes as
 * the other.
 */
@ApplicationScoped
public class JwtVerifier {
    public static final String SERVICE_GROUP = "service";

    private final DefaultJWTParser dashboardParser;
    private final DefaultJWTParser serviceParser;
    private final JwtConfig config;

    @Inject
    public JwtVerifier(JwtConfig config) {
        this.config = config;
        this.dashboardParser = new DefaultJWTParser(context(config.dashboard().publicKeyLocation()));
        this.serviceParser = new DefaultJWTParser(context(config.service().publicKeyLocation()));
    }

    private JWTAuthContextInfo context(String keyLocation) {
        JWTAuthContextInfo info = new JWTAuthContextInfo(keyLocation, config.issuer());
        info.setExpectedAudience(Set.of(config.audience()));
        info.setSignatureAlgorithm(Set.of(SignatureAlgorithm.RS256));
        info.setClockSkew((int) config.clockSkew().toSeconds());
        info.setRequiredClaims(Set.of("sub", "exp", "iat"));
        return info;
    }

    /** A dashboard user's token: {@code org_id} and a group {@code admin} or {@code member}. */
    public DashboardUser dashboard(String token) {
        JsonWebToken jwt = parse(dashboardParser, token, "dashboard");
        String orgId = jwt.getClaim("org_id");
        Set<String> groups = jwt.getGroups();
        if (orgId == null || orgId.isBlank() || groups.contains(SERVICE_GROUP)) {
            throw new UnauthorizedException(Reason.INVALID, "This path needs a dashboard token with an org_id claim.");
        }
        Role role = groups.contains(Role.ADMIN.group()) ? Role.ADMIN
                : groups.contains(Role.MEMBER.group()) ? Role.MEMBER : null;
        return new DashboardUser(jwt.getSubject(), orgId, role);
    }

    /** A service's token: {@code groups = [service]}, no {@code org_id}, short-lived. */
    public String service(String token) {
        JsonWebToken jwt = parse(serviceParser, token, "service");
        long lifetime = jwt.getExpirationTime() - jwt.getIssuedAtTime();
        if (!jwt.getGroups().contains(SERVICE_GROUP) || jwt.containsClaim("org_id")
                || lifetime > config.service().maxLifetime().toSeconds()) {
            throw new UnauthorizedException(Reason.INVALID,
                    "This path needs a service token (groups [service], no org_id, at most "
                            + config.service().maxLifetime().toSeconds() + " s).");
        }
        return jwt.getSubject();
    }

    private static JsonWebToken parse(DefaultJWTParser parser, String token, String kind) {
        try {
            return parser.parse(token);
        } catch (ParseException e) {
            if (e.getCause() instanceof InvalidJwtException invalid && invalid.hasExpired()) {
                throw new UnauthorizedException(Reason.EXPIRED, "The " + kind + " token has expired.");
            }
            throw new UnauthorizedException(Reason.INVALID,
                    "The " + kind + " token is not valid here (signature, algorithm, issuer, audience or expiry).");
        }
    }

    public record DashboardUser(String userId, String orgId, Role role) {
    }
}
