package dev.postgate.keys;

import java.util.Map;

import dev.postgate.common.testing.BodyContractTest;
import dev.postgate.common.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;

/** SPEC section 6 body handling on key-service: creating keys as an admin of an organisation of its own per test. */
@QuarkusTest
class KeyServiceBodyTest extends BodyContractTest {
    private final String token = Tokens.admin(KeyApi.newOrg());

    @Override
    protected String jsonPostPath() {
        return KeyApi.KEYS;
    }

    @Override
    protected String validJsonBody() {
        return "{\"name\": \"chunked\", \"scopes\": [\"posts:read\"]}";
    }

    @Override
    protected Map<String, String> validHeaders() {
        return Map.of("Authorization", "Bearer " + token);
    }
}
