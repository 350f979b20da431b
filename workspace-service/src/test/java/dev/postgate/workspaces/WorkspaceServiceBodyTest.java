package dev.postgate.workspaces;

import java.util.Map;

import dev.postgate.common.testing.BodyContractTest;
import dev.postgate.common.testing.KeyServiceResource;
import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** SPEC section 6 body handling on workspace-service: creating workspaces as an admin of an organisation of its own per test. */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeyServiceResource.class, scope = TestResourceScope.GLOBAL)
class WorkspaceServiceBodyTest extends BodyContractTest {
    private final String token = Tokens.admin(Api.newOrg());

    @Override
    protected String jsonPostPath() {
        return Api.WORKSPACES;
    }

    @Override
    protected String validJsonBody() {
        return "{\"name\": \"chunked\"}";
    }

    @Override
    protected Map<String, String> validHeaders() {
        return Map.of("Authorization", "Bearer " + token);
    }
}
