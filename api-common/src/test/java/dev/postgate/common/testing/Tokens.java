package dev.postgate.common.testing;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Set;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/** Dashboard and service JWTs for tests, signed with the development keys of deploy/local/jwt. */
public final class Tokens {
    private static KeyPair stranger;

    private Tokens() {
    }

    public static String admin(String orgId) {
        return dashboard(orgId, "admin");
    }

    public static String member(String orgId) {
        return dashboard(orgId, "member");
    }

    public static String dashboard(String orgId, String group) {
        return dashboardClaims(orgId, group).sign(keyLocation("private.pem"));
    }

    public static JwtClaimsBuilder dashboardClaims(String orgId, String group) {
        Instant now = Instant.now();
        return Jwt.issuer("postgate").audience("postgate").subject("user_" + group + "_" + orgId)
                .claim("org_id", orgId).groups(Set.of(group)).issuedAt(now).expiresAt(now.plusSeconds(3600));
    }

    public static String service(String name) {
        return serviceClaims(name).sign(keyLocation("service-private.pem"));
    }

    public static JwtClaimsBuilder serviceClaims(String name) {
        Instant now = Instant.now();
        return Jwt.issuer("postgate").audience("postgate").subject(name).groups(Set.of("service"))
                .issuedAt(now).expiresAt(now.plusSeconds(240));
    }

    /** Signs with the dashboard key. */
    public static String signDashboard(JwtClaimsBuilder claims) {
        return claims.jws().algorithm(SignatureAlgorithm.RS256).sign(keyLocation("private.pem"));
    }

    /** Signs with the service key. */
    public static String signService(JwtClaimsBuilder claims) {
        return claims.jws().algorithm(SignatureAlgorithm.RS256).sign(keyLocation("service-private.pem"));
    }

    /** Signs with a key nobody trusts. */
    public static String signWithStrangerKey(JwtClaimsBuilder claims) {
        return claims.jws().algorithm(SignatureAlgorithm.RS256).sign(strangerKey().getPrivate());
    }

    /** HS256 with a shared secret: an algorithm the services must refuse. */
    public static String signHs256(JwtClaimsBuilder claims) {
        return claims.jws().algorithm(SignatureAlgorithm.HS256).signWithSecret("a-shared-secret-that-is-long-enough-for-hs256!!");
    }

    /**
     * A token with {@code claims} and no {@code iat} (RFC 7519 makes it optional; SmallRye's builder
     * always adds one), signed RS256 with the development key {@code keyFile}.
     */
    public static String signWithoutIssuedAt(java.util.Map<String, Object> claims, String keyFile) {
        try {
            org.jose4j.jws.JsonWebSignature jws = new org.jose4j.jws.JsonWebSignature();
            jws.setPayload(org.jose4j.jwt.JwtClaims.parse(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(claims)).toJson());
            jws.setAlgorithmHeaderValue(org.jose4j.jws.AlgorithmIdentifiers.RSA_USING_SHA256);
            String pem = java.nio.file.Files.readString(java.nio.file.Path.of(java.net.URI.create(keyLocation(keyFile))));
            jws.setKey(io.smallrye.jwt.util.KeyUtils.decodePrivateKey(pem));
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String keyLocation(String file) {
        java.nio.file.Path key = PostgateInfra.repositoryRoot().resolve("deploy/local/jwt").resolve(file);
        if (!java.nio.file.Files.isRegularFile(key)) {
            ensureKeys();
        }
        return key.toUri().toString();
    }

    /**
     * A fresh clone has no development keys until deploy/local/jwt.sh makes them (infra.sh does,
     * for the tests that start the infrastructure); plain unit tests that sign tokens make them here.
     */
    private static synchronized void ensureKeys() {
        try {
            Process process = new ProcessBuilder("bash", PostgateInfra.repositoryRoot().resolve("deploy/local/jwt.sh").toString(),
                    "ensure").inheritIO().start();
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("deploy/local/jwt.sh ensure failed");
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static synchronized KeyPair strangerKey() {
        if (stranger == null) {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                stranger = generator.generateKeyPair();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return stranger;
    }
}
