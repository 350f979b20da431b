package dev.postgate.workspaces;

import dev.postgate.common.testing.EnvelopeContractTest;
import dev.postgate.common.testing.KeyServiceResource;
import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** SPEC section 4 on workspace-service: the workspace collection as an admin of an organisation of its own per test. */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeyServiceResource.class, scope = TestResourceScope.GLOBAL)
class WorkspaceServiceEnvelopeTest extends EnvelopeContractTest {
    private final String token = Tokens.admin(Api.newOrg());

    @Override
    protected String jsonPostPath() {
        return Api.WORKSPACES;
    }

    @Override
    protected String validJsonBody() {
        return "{\"name\": \"envelope\"}";
    }

    @Override
    protected String validAuthorization() {
        return "Bearer " + token;
    }

    @Override
    protected String knownPath() {
        return Api.WORKSPACES;
    }
}
