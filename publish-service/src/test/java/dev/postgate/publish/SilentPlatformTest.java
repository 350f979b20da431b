package dev.postgate.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
