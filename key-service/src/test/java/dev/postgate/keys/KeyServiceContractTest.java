package dev.postgate.keys;

import java.util.Map;

import dev.postgate.common.testing.ServiceContractTest;
import dev.postgate.common.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;

/** SPEC sections 4 and 6 on key-service: the key collection as an admin of an organisation of its own per test. */
@QuarkusTest
class KeyServiceContractTest extends ServiceContractTest {
    private final String token = Tokens.admin(KeyApi.newOrg());

    @Override
    protected String jsonPostPath() {
        return KeyApi.KEYS;
    }

    @Override
    protected String validJsonBody() {
        return "{\"name\": \"contract\", \"scopes\": [\"posts:read\"]}";
    }

    @Override
    protected Map<String, String> validHeaders() {
        return Map.of("Authorization", "Bearer " + token);
    }

    @Override
    protected String knownPath() {
        return KeyApi.KEYS;
    }
}
