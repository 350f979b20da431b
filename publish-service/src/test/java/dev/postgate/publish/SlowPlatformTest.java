package dev.postgate.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.WorkspaceServiceResource;
import dev.postgate.publish.publishing.PublishFlow;
import dev.postgate.publish.publishing.SlowConnector;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.response.Response;

/**
 * A worker claims a batch of targets under one lease and sends them one after another. Found by
 * review: with a platform slow to answer, the targets late in a batch were sent after their claim
 * had run out, so another instance could take them over and send them too. Here the batch's
 * calls take twice the claim's 3 s, and a second worker (the same code another instance runs,
 * on the same database) keeps looking for work meanwhile: each target must reach the platform
 * once.
 */
@QuarkusTest
@TestProfile(ShortClaims.class)
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WorkspaceServiceResource.class, scope = TestResourceScope.GLOBAL)
class SlowPlatformTest {
    private static final int TARGETS = 10;

    @Inject
    PublishFlow otherInstance;

    @Inject
    SlowConnector platform;

    @Test
    void aBatchSlowerThanItsClaimIsStillSentOncePerTarget() throws Throwable {
        Api.Tenant tenant = Api.tenant(TARGETS + 2);
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < TARGETS; i++) {
            accounts.add(tenant.account("linkedin", "page " + i));
        }
        IssuedKey key = tenant.key("posts:write", "posts:read", "posts:publish");
        String post = tenant.draft(key, "To a slow platform", accounts.toArray(String[]::new));
        Response published = tenant.publish(key, post);
        assertEquals(202, published.statusCode(), published.asString());

        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!"published".equals(tenant.post(key, post).get("status")) && Instant.now().isBefore(deadline)) {
            VertxContextSupport.subscribeAndAwait(() -> otherInstance.sendTargets(20));
            Thread.sleep(100);
        }

        assertEquals("published", tenant.post(key, post).get("status"));
        Map<String, Integer> calls = platform.callsByKey();
        for (String account : accounts) {
            assertEquals(1, calls.get(post + ":" + account + ":1"), "calls to the platform for account " + account + ": " + calls);
        }
        assertEquals(2, tenant.balance(), "each target paid once");
        assertEquals(TARGETS, tenant.ledgerCount("settle"));
    }
}
