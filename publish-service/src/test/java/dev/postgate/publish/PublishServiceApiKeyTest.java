package dev.postgate.publish;

import static io.restassured.RestAssured.given;

import java.util.Map;

import dev.postgate.common.testing.ApiKeyContractTest;
import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.Tokens;
import dev.postgate.common.testing.WorkspaceServiceResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** SPEC sections 3 and 4 for API keys on publish-service (key-client), with the post list as the workspace-scoped path. */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WorkspaceServiceResource.class, scope = TestResourceScope.GLOBAL)
class PublishServiceApiKeyTest extends ApiKeyContractTest {

    @Override
    protected String scopedPath() {
        return "/api/v1/posts";
    }

    @Override
    protected String scopedPathScope() {
        return "posts:read";
    }

    @Override
    protected String createWorkspace(String orgId) {
        return given().baseUri(WorkspaceServiceResource.url()).header("Authorization", "Bearer " + Tokens.admin(orgId))
                .contentType(ContentType.JSON).body(Map.of("name", "key contract")).post("/api/v1/workspaces")
                .then().statusCode(201).extract().path("data.id");
    }
}
