package dev.postgate.publish;

import static dev.postgate.publish.Api.POSTS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.WorkspaceServiceResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Found by review: a worker pass took one batch of due scheduled posts (20 by default) and the next
 * batch waited for the next pass, so posts scheduled for the same minute went out at a batch a
 * second per instance (6,000 of them over five minutes). A pass that took a whole batch is followed
 * by another at once. Here ticks are an hour apart and batches 5 posts: one wake must publish all
 * 16 posts that are due.
 */
@QuarkusTest
@TestProfile(ScheduledBacklogTest.RareTicks.class)
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WorkspaceServiceResource.class, scope = TestResourceScope.GLOBAL)
class ScheduledBacklogTest {

    public static class RareTicks implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("postgate.publish.worker.interval", "1h", "postgate.publish.worker.batch-size", "5");
        }
    }

    @Test
    void oneWakePublishesEveryDuePostNotOneBatch() {
        Api.Tenant tenant = Api.tenant(0);
        String account = tenant.account("instagram", "brand");
        IssuedKey key = tenant.testKey("posts:write", "posts:read", "posts:publish");
        List<String> scheduled = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            scheduled.add(tenant.draft(key, "Scheduled " + i, account));
        }
        // All for one time, a few seconds ahead: the time must still be in the future when the last is scheduled.
        Instant at = Instant.now().plusSeconds(8);
        for (String post : scheduled) {
            Response answer = tenant.as(key).contentType(ContentType.JSON).body(Map.of("scheduled_at", at.toString()))
                    .post(POSTS + "/" + post + "/publish");
            assertEquals(202, answer.statusCode(), answer.asString());
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> Instant.now().isAfter(at.plusMillis(500)));
        // A request that adds work wakes the worker once.
        String now = tenant.draft(key, "Now", account);
        assertEquals(202, tenant.publish(key, now).statusCode());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            List<Object> statuses = scheduled.stream().map(post -> tenant.post(key, post).get("status")).toList();
            assertEquals(scheduled.size(), statuses.stream().filter("published"::equals).count(), () -> "due posts published: " + statuses
                    + "; the post published now: " + tenant.post(key, now).get("status"));
        });
    }
}
