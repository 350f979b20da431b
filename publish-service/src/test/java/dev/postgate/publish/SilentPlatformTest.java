package dev.postgate.publish;

import static dev.postgate.publish.Api.POSTS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.WorkspaceServiceResource;
import dev.postgate.publish.publishing.SilentConnector;
import dev.postgate.publish.publishing.UnreachableConnector;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * A platform call that never answers counts as a failed call once its time limit passes: it
 * neither stops the worker (other posts still go out) nor keeps the credit (the target is given
 * up after give-up-after and refunded). Found by review: the call had no limit, so one stalled
 * connection stopped an instance's worker for good, and then, its claim run out, the next one's.
 */
@QuarkusTest
@TestProfile(ShortClaims.class)
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WorkspaceServiceResource.class, scope = TestResourceScope.GLOBAL)
class SilentPlatformTest {
    @Test
    void aPlatformThatNeverAnswersNeitherStopsTheWorkerNorKeepsTheCredit() {
        Api.Tenant tenant = Api.tenant(5);
        String silent = tenant.account("tiktok", "brand");
        String answering = tenant.account("instagram", "brand");
        IssuedKey key = tenant.key("posts:write", "posts:read", "posts:publish");

        String stalled = tenant.draft(key, "To a platform that never answers", silent);
        Response first = tenant.publish(key, stalled);
        assertEquals(202, first.statusCode(), first.asString());
        tenant.awaitStatus(key, stalled, "publishing");
        String other = tenant.draft(key, "Meanwhile, elsewhere", answering);
        Response second = tenant.publish(key, other);
        assertEquals(202, second.statusCode(), second.asString());

        tenant.awaitStatus(key, other, "published");
        tenant.awaitStatus(key, stalled, "failed");
        List<Map<String, Object>> results = tenant.results(key, stalled);
        assertEquals("failed", results.get(0).get("status"));
        String error = (String) results.get(0).get("error");
        assertTrue(error.contains("did not answer within 1 s"), error);
        assertEquals(4, tenant.balance(), "only the post that went out is paid for");
        assertEquals(1, tenant.ledgerCount("settle"));
        assertEquals(1, tenant.ledgerCount("refund"));
    }

    /**
     * A target given up without an answer may have been posted by the platform: a retry asks the
     * platform again under the same delivery key (which a connector must not post twice for),
     * while its credits are held anew. Found by review: the retry's new attempt gave the call a
     * new key, so a platform that had received the first call would post the post twice.
     */
    @Test
    void aRetryOfATargetGivenUpUnansweredCallsThePlatformUnderTheSameKey() {
        Api.Tenant tenant = Api.tenant(5);
        String silent = tenant.account("tiktok", "brand");
        IssuedKey key = tenant.key("posts:write", "posts:read", "posts:publish");
        String post = tenant.draft(key, "Did it go out?", silent);
        assertEquals(202, tenant.publish(key, post).statusCode());
        tenant.awaitStatus(key, post, "failed");
        Set<String> first = keysOf(post);
        assertEquals(1, first.size(), first::toString);

        Response retry = tenant.as(key).post(POSTS + "/" + post + "/retry");
        assertEquals(202, retry.statusCode(), retry.asString());
        int before = (int) SilentConnector.KEYS.stream().filter(k -> k.startsWith(post + ":")).count();
        await().atMost(Duration.ofSeconds(15))
                .until(() -> SilentConnector.KEYS.stream().filter(k -> k.startsWith(post + ":")).count() > before);
        assertEquals(first, keysOf(post), "the retry's calls use the unanswered calls' key");
        tenant.awaitStatus(key, post, "failed");
        assertEquals(2, tenant.ledgerCount("refund"), "each attempt's hold is refunded");
    }

    /**
     * A target given up because its platform could not be reached says so in the workspace's own
     * words: the connector's exception text (the URL it called, a token in it, the exception's
     * class) goes to no API client. Found by review: the error quoted the exception's message.
     */
    @Test
    void aTargetGivenUpShowsNoneOfTheConnectorsExceptionText() {
        Api.Tenant tenant = Api.tenant(5);
        String unreachable = tenant.account("youtube", "brand");
        IssuedKey key = tenant.key("posts:write", "posts:read", "posts:publish");
        String post = tenant.publishedNow(key, "To a platform that cannot be reached", unreachable);
        tenant.awaitStatus(key, post, "failed");
        List<Map<String, Object>> results = tenant.results(key, post);
        String error = (String) results.get(0).get("error");
        assertTrue(error.contains("could not be reached"), error);
        assertFalse(error.contains(UnreachableConnector.TOKEN), error);
        assertFalse(error.contains("graph.platform.test"), error);
        assertFalse(error.contains("ConnectException"), error);
        assertEquals(5, tenant.balance(), "a post that did not go out is not paid for");
    }

    /**
     * Analytics answer although a platform does not: a published target whose platform's metrics
     * do not come within the time limit shows no numbers (no source), the others theirs. Found by
     * review: the metrics calls had no limit, and the request never answered.
     */
    @Test
    void analyticsAnswerWhenAPlatformsMetricsNeverCome() throws Exception {
        Api.Tenant tenant = Api.tenant(5);
        String stalled = tenant.account("facebook", "brand");
        String sandbox = tenant.account("x", "brand");
        IssuedKey key = tenant.key("posts:write", "posts:read", "posts:publish", "analytics:read");
        String post = tenant.publishedNow(key, "Read my numbers", stalled, sandbox);
        tenant.awaitStatus(key, post, "published");

        Response response = CompletableFuture.supplyAsync(() -> tenant.as(key).get("/api/v1/analytics/posts/" + post))
                .get(20, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode(), response.asString());
        List<Map<String, Object>> targets = response.jsonPath().getList("data.targets");
        Map<String, Object> fromStalled = targets.stream().filter(t -> stalled.equals(t.get("account_id"))).findFirst().orElseThrow();
        Map<String, Object> fromSandbox = targets.stream().filter(t -> sandbox.equals(t.get("account_id"))).findFirst().orElseThrow();
        assertNull(fromStalled.get("source"), fromStalled::toString);
        assertEquals(0, ((Map<?, ?>) fromStalled.get("metrics")).get("impressions"), fromStalled::toString);
        assertEquals("sandbox", fromSandbox.get("source"), fromSandbox::toString);
    }

    private static Set<String> keysOf(String post) {
        return SilentConnector.KEYS.stream().filter(k -> k.startsWith(post + ":")).collect(Collectors.toSet());
    }
}
