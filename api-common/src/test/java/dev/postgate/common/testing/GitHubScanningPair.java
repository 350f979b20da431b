package dev.postgate.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * A stand-in for GitHub's secret-scanning signing key (SPEC section 10), as GitHub publishes its
 * own: an ECDSA P-256 pair whose public half is in a keys document in GitHub's format
 * ({@code keys.json}, what key-service is pointed at) and whose private half ({@code private.der})
 * signs reports. Both are files, so a test and a test resource in another class loader share them.
 */
public final class GitHubScanningPair {
    public static final String KEY_ID = "test-github-scanning-key-1";
    private final Path dir;

    private GitHubScanningPair(Path dir) {
        this.dir = dir.toAbsolutePath();
    }

    /** The pair in {@code dir}, made there when it is not yet. */
    public static GitHubScanningPair in(Path dir) {
        GitHubScanningPair pair = new GitHubScanningPair(dir);
        if (!Files.isRegularFile(pair.document()) || !Files.isRegularFile(pair.privateKey())) {
            pair.make();
        }
        return pair;
    }

    public Path document() {
        return dir.resolve("keys.json");
    }

    private Path privateKey() {
        return dir.resolve("private.der");
    }

    private void make() {
        try {
            KeyPair pair = generate();
            Files.createDirectories(dir);
            Files.write(privateKey(), pair.getPrivate().getEncoded());
            String pem = "-----BEGIN PUBLIC KEY-----\\n" + Base64.getEncoder().encodeToString(pair.getPublic().getEncoded())
                    + "\\n-----END PUBLIC KEY-----\\n";
            Files.writeString(document(), "{\"public_keys\": [{\"key_identifier\": \"" + KEY_ID + "\", \"key\": \"" + pem
                    + "\", \"is_current\": true}]}");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Base64 of the DER ECDSA P-256 SHA-256 signature of {@code body}, as GitHub sends it. */
    public String sign(String body) {
        try {
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(privateKey())));
            return sign(key, body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A signature by a key GitHub never published: it must not verify. */
    public static String signWithAnotherKey(String body) {
        try {
            return sign(generate().getPrivate(), body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(PrivateKey key, String body) throws GeneralSecurityException {
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(body.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(signer.sign());
    }

    private static KeyPair generate() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }
}
