package dev.postgate.publish;

import static io.restassured.RestAssured.given;

import dev.postgate.common.testing.EnvelopeContractTest;
import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.WorkspaceServiceResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/** SPEC section 4 on publish-service: the post collection of a workspace, with a key that may read and write posts. */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WorkspaceServiceResource.class, scope = TestResourceScope.GLOBAL)
class PublishServiceEnvelopeTest extends EnvelopeContractTest {
    private static Api.Tenant tenant;
    private static IssuedKey key;
    private static String account;

    private static synchronized void setUp() {
        if (tenant == null) {
            tenant = Api.tenant(0);
            account = tenant.account("x", "envelope");
            key = tenant.key("posts:read", "posts:write");
        }
    }

    @Override
    protected String jsonPostPath() {
        return Api.POSTS;
    }

    @Override
    protected String validJsonBody() {
        setUp();
        return "{\"content\": \"envelope\", \"account_ids\": [\"" + account + "\"]}";
    }

    @Override
    protected String validAuthorization() {
        setUp();
        return key.bearer();
    }

    @Override
    protected RequestSpecification authorized() {
        setUp();
        return given().header("Authorization", key.bearer()).header(Api.WORKSPACE_HEADER, tenant.workspaceId());
    }

    @Override
    protected String knownPath() {
        return Api.POSTS;
    }
}
