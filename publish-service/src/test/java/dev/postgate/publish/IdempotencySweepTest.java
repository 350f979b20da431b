package dev.postgate.publish;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.TestKeys;
import dev.postgate.common.testing.WorkspaceServiceResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Stored Idempotency-Key answers live 24 hours; a sweep removes older ones, so the table does not grow forever. */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WorkspaceServiceResource.class, scope = TestResourceScope.GLOBAL)
class IdempotencySweepTest {

    @Test
    void answersOlderThanTheRetentionAreSweptAndNewerOnesKept() {
        String org = TestKeys.newOrg();
        String insert = "insert into idempotency_keys (org_id, idem_key, fingerprint, state, status, body, created_at)"
                + " values (?, ?, 'f', 'done', 201, '{}', now() - cast(? as interval))";
        Db.update(insert, org, "expired", "25 hours");
        Db.update(insert, org, "abandoned-long-ago", "3 days");
        Db.update(insert, org, "recent", "23 hours");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> Db.count("select count(*) from idempotency_keys where org_id = ?", org) == 1);
        assertEquals("recent", Db.query("select idem_key from idempotency_keys where org_id = ?", org).get(0).get("idem_key"));
    }
}
