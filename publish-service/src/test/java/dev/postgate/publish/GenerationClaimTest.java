package dev.postgate.publish;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.WorkspaceServiceResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * A generation request whose claim on its generation ran out while its credits were reserved
 * (a slow database or workspace-service; here a 1 ms claim) has no time left for the provider:
 * 503 with nothing charged, as when the provider is too slow. Found by review: the provider's
 * time limit came out as zero, which Mutiny refuses, and the answer was a 500.
 */
@QuarkusTest
@TestProfile(ShortClaims.class)
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WorkspaceServiceResource.class, scope = TestResourceScope.GLOBAL)
class GenerationClaimTest {
    @Test
    void aClaimThatRanOutBeforeTheProviderIsCalledIs503AndNothingIsCharged() {
        Api.Tenant tenant = Api.tenant(10);
        IssuedKey key = tenant.key("images:generate", "images:read");
        Response response = tenant.as(key).contentType(ContentType.JSON).body(Map.of("prompt", "No time left"))
                .post("/api/v1/images/generate");
        SlowGenerationTest.assertGivenUpAndRefunded(tenant, 10, response, "nothing was charged.");
    }
}
