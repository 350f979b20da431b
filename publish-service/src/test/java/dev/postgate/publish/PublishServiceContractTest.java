package dev.postgate.publish;

import java.util.Map;

import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.ServiceContractTest;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.WorkspaceServiceResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** SPEC sections 4 and 6 on publish-service: the post collection of a workspace, with a key that may read and write posts. */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WorkspaceServiceResource.class, scope = TestResourceScope.GLOBAL)
class PublishServiceContractTest extends ServiceContractTest {
    private static Api.Tenant tenant;
    private static IssuedKey key;
    private static String account;

    private static synchronized void setUp() {
        if (tenant == null) {
            tenant = Api.tenant(0);
            account = tenant.account("x", "contract");
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
        return "{\"content\": \"contract\", \"account_ids\": [\"" + account + "\"]}";
    }

    @Override
    protected Map<String, String> validHeaders() {
        setUp();
        return Map.of("Authorization", key.bearer(), Api.WORKSPACE_HEADER, tenant.workspaceId());
    }

    @Override
    protected String knownPath() {
        return Api.POSTS;
    }
}
