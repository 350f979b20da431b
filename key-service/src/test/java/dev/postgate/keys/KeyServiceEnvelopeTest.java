package dev.postgate.keys;

import dev.postgate.common.testing.EnvelopeContractTest;
import dev.postgate.common.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;

/** SPEC section 4 on key-service: the key collection as an admin of an organisation of its own per test. */
@QuarkusTest
class KeyServiceEnvelopeTest extends EnvelopeContractTest {
    private final String token = Tokens.admin(KeyApi.newOrg());

    @Override
    protected String jsonPostPath() {
        return KeyApi.KEYS;
    }

    @Override
    protected String validJsonBody() {
        return "{\"name\": \"envelope\", \"scopes\": [\"posts:read\"]}";
    }

    @Override
    protected String validAuthorization() {
        return "Bearer " + token;
    }

    @Override
    protected String knownPath() {
        return KeyApi.KEYS;
    }
}
