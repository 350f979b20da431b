package dev.postgate.keys;

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
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A GitHub secret-scanning signing pair for the tests, as GitHub publishes its own: a keys
 * document ({@code public_keys}, PEM) that key-service is pointed at, and the private key, kept in
 * a file next to it (test resources and tests do not share a class loader), that signs reports.
 */
public class GitHubScanningKeys implements QuarkusTestResourceLifecycleManager {
    public static final String KEY_ID = "test-github-scanning-key-1";
    static final Path DIR = Path.of("target", "github-scanning").toAbsolutePath();
    static final Path DOCUMENT = DIR.resolve("keys.json");
    static final Path PRIVATE = DIR.resolve("private.der");

    @Override
    public Map<String, String> start() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            Files.createDirectories(DIR);
            Files.write(PRIVATE, pair.getPrivate().getEncoded());
            String pem = "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
            Files.writeString(DOCUMENT, "{\"public_keys\": [{\"key_identifier\": \"" + KEY_ID + "\", \"key\": "
                    + "\"" + pem.replace("\n", "\\n") + "\", \"is_current\": true}]}");
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("postgate.secret-scanning.github.keys-url", DOCUMENT.toString());
    }

    @Override
    public void stop() {
        // The files stay in target/.
    }

    /** Base64 of the DER ECDSA P-256 SHA-256 signature of {@code body}, as GitHub sends it. */
    public static String sign(byte[] body) {
        try {
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(PRIVATE)));
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key);
            signer.update(body);
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A signing key GitHub never published: its signatures must not verify. */
    public static String signWithAnotherKey(byte[] body) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(generator.generateKeyPair().getPrivate());
            signer.update(body);
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
