package dev.postgate.publish;

import java.util.Map;

import dev.postgate.common.testing.BodyContractTest;
import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.WorkspaceServiceResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** SPEC section 6 body handling on publish-service: creating posts with a key that may write them. */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WorkspaceServiceResource.class, scope = TestResourceScope.GLOBAL)
class PublishServiceBodyTest extends BodyContractTest {
    private static Api.Tenant tenant;
    private static IssuedKey key;
    private static String account;

    private static synchronized void setUp() {
        if (tenant == null) {
            tenant = Api.tenant(0);
            account = tenant.account("x", "body");
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
        return "{\"content\": \"chunked\", \"account_ids\": [\"" + account + "\"]}";
    }

    @Override
    protected Map<String, String> validHeaders() {
        setUp();
        return Map.of("Authorization", key.bearer(), Api.WORKSPACE_HEADER, tenant.workspaceId());
    }
}
