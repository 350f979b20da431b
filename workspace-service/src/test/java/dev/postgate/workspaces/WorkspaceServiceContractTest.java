package dev.postgate.workspaces;

import java.util.Map;

import dev.postgate.common.testing.KeyServiceResource;
import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.ServiceContractTest;
import dev.postgate.common.testing.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** SPEC sections 4 and 6 on workspace-service: the workspace collection as an admin of an organisation of its own per test. */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeyServiceResource.class, scope = TestResourceScope.GLOBAL)
class WorkspaceServiceContractTest extends ServiceContractTest {
    private final String token = Tokens.admin(Api.newOrg());

    @Override
    protected String jsonPostPath() {
        return Api.WORKSPACES;
    }

    @Override
    protected String validJsonBody() {
        return "{\"name\": \"contract\"}";
    }

    @Override
    protected Map<String, String> validHeaders() {
        return Map.of("Authorization", "Bearer " + token);
    }

    @Override
    protected String knownPath() {
        return Api.WORKSPACES;
    }
}
