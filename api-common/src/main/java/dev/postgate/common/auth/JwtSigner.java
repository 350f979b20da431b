package dev.postgate.common.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * Tokens made the way {@link JwtVerifier} checks them: this deployment's issuer and audience,
 * RS256, and the subject, issue and expiry times it requires. Service tokens ({@link ServiceTokens})
 * and the development sign-in's dashboard tokens are made here.
 */
public final class JwtSigner {
    private JwtSigner() {
    }

    /** A token for {@code subject} in {@code groups}, with {@code claims} besides, valid from {@code issuedAt} for {@code lifetime}. */
    public static String sign(JwtConfig config, String subject, Set<String> groups, Map<String, Object> claims, Instant issuedAt,
            Duration lifetime, String privateKeyLocation) {
        JwtClaimsBuilder token = Jwt.issuer(config.issuer()).audience(config.audience()).subject(subject).groups(groups);
        claims.forEach(token::claim);
        return token.issuedAt(issuedAt).expiresAt(issuedAt.plus(lifetime))
                .jws().algorithm(SignatureAlgorithm.RS256)
                .sign(privateKeyLocation);
    }
}
