package dev.postgate.publish;

import static dev.postgate.common.testing.EnvelopeChecks.error;
import static dev.postgate.common.testing.EnvelopeChecks.data;
import static dev.postgate.common.testing.EnvelopeChecks.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.WorkspaceServiceResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Post analytics: the numbers each connector reports for published targets (labelled by source), zero before. */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WorkspaceServiceResource.class, scope = TestResourceScope.GLOBAL)
class AnalyticsTest {

    @SuppressWarnings("unchecked")
    @Test
    void aPublishedPostHasTheSandboxsNumbersPerAccount() {
        Api.Tenant tenant = Api.tenant(2);
        String a = tenant.account("instagram", "a");
        String failing = tenant.account("x", "fail-b");
        IssuedKey key = tenant.key("posts:write", "posts:read", "posts:publish", "analytics:read");
        String post = tenant.draft(key, "Count me", a, failing);
        assertEquals(202, tenant.publish(key, post).statusCode());
        tenant.awaitStatus(key, post, "partially_failed");

        Response response = tenant.as(key).get("/api/v1/analytics/posts/" + post);
        assertEquals(200, response.statusCode(), response.asString());
        Map<String, Object> analytics = data(response);
        assertEquals(post, analytics.get("post_id"));
        assertEquals("partially_failed", analytics.get("status"));
        List<Map<String, Object>> targets = (List<Map<String, Object>>) analytics.get("targets");
        assertEquals(2, targets.size());
        Map<String, Object> published = targets.get(0);
        assertEquals(a, published.get("account_id"));
        assertEquals("sandbox", published.get("source"));
        Map<String, Object> metrics = (Map<String, Object>) published.get("metrics");
        assertTrue(number(metrics.get("impressions")) >= 100, metrics::toString);
        assertTrue(number(metrics.get("likes")) <= number(metrics.get("impressions")), metrics::toString);
        Map<String, Object> none = targets.get(1);
        assertNull(none.get("source"));
        assertEquals(0, number(((Map<String, Object>) none.get("metrics")).get("impressions")));
        assertEquals(metrics, analytics.get("totals"));

        assertEquals(analytics, data(tenant.as(key).get("/api/v1/analytics/posts/" + post)), "the sandbox's numbers are stable");
    }

    @SuppressWarnings("unchecked")
    @Test
    void aPostNotYetPublishedHasZeroMetricsNotAnError() {
        Api.Tenant tenant = Api.tenant(0);
        String a = tenant.account("tiktok", "a");
        IssuedKey key = tenant.key("posts:write", "analytics:read");
        String post = tenant.draft(key, "Not yet", a);
        Response response = tenant.as(key).get("/api/v1/analytics/posts/" + post);
        assertEquals(200, response.statusCode(), response.asString());
        Map<String, Object> analytics = data(response);
        assertEquals("draft", analytics.get("status"));
        assertEquals(List.of(), analytics.get("targets"));
        assertEquals(0, number(((Map<String, Object>) analytics.get("totals")).get("impressions")));

        Api.Tenant other = Api.tenant(0);
        error(other.as(other.key("analytics:read")).get("/api/v1/analytics/posts/" + post), 404, "NOT_FOUND");
    }
}
