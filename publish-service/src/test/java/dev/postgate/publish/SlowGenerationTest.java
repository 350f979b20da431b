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
import dev.postgate.publish.generation.SlowProvider;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * A provider slower than the request's claim on its generation (the lease): the request gives up
 * before its claim runs out and answers 503 with nothing charged, never a 500, and the generation
 * ends failed and refunded. Found by review: the request used to wait on, lose its claim to the
 * worker, and fail on the missing row with a 500, the provider's output thrown away.
 */
@QuarkusTest
@TestProfile(SlowGenerationTest.ShortLease.class)
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WorkspaceServiceResource.class, scope = TestResourceScope.GLOBAL)
class SlowGenerationTest {

    public static class ShortLease implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // The provider answers after 4 s; the claim lasts 2 s.
            return Map.of("postgate.publish.generation.provider", "slow",
                    "postgate.publish.generation.lease", "2s");
        }
    }

    @Test
    void aProviderSlowerThanTheLeaseIsUnavailableAndNothingIsCharged() {
        Api.Tenant tenant = Api.tenant(10);
        IssuedKey key = tenant.key("content:generate", "content:read");
        long started = System.nanoTime();
        Response response = tenant.as(key).contentType(ContentType.JSON).body(Map.of("prompt", "Take your time"))
                .post("/api/v1/content/generate");
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(SlowProvider.DELAY) < 0,
                "the request gave up before the provider answered");
        assertGivenUpAndRefunded(tenant, 10, response, "Nothing was charged.");
    }

    /**
     * The generation request was answered 503, its message ending with {@code ending}, and the only
     * generation of the tenant (holding {@code credits}) ended failed with its credits refunded.
     */
    static void assertGivenUpAndRefunded(Api.Tenant tenant, long credits, Response response, String ending) {
        assertEquals(503, response.statusCode(), response.asString());
        assertEquals("UNAVAILABLE", response.path("error.code"));
        assertNull(response.path("data"));
        assertTrue(response.<String>path("error.message").endsWith(ending), response.asString());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(credits, tenant.balance()));
        assertEquals(1, tenant.ledgerCount("refund"));
        assertEquals(0, tenant.ledgerCount("settle"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(1,
                Db.count("select count(*) from generations where workspace_id = ? and state = 'failed'", tenant.workspaceId())));
    }
}
