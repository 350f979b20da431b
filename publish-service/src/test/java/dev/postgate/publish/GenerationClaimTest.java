package dev.postgate.publish;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
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
        assertEquals(503, response.statusCode(), response.asString());
        assertEquals("UNAVAILABLE", response.path("error.code"));
        assertNull(response.path("data"));
        assertTrue(response.<String>path("error.message").endsWith("nothing was charged."), response.asString());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(10, tenant.balance()));
        assertEquals(1, tenant.ledgerCount("refund"));
        assertEquals(0, tenant.ledgerCount("settle"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(1,
                Db.count("select count(*) from generations where workspace_id = ? and state = 'failed'", tenant.workspaceId())));
    }
}
