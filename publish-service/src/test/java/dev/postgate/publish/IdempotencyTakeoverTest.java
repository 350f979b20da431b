package dev.postgate.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.postgate.common.idempotency.IdempotencyStore;
import dev.postgate.common.idempotency.IdempotencyStore.Claim;
import dev.postgate.common.idempotency.IdempotencyStore.Claimed;
import dev.postgate.common.idempotency.IdempotencyStore.Done;
import dev.postgate.common.idempotency.IdempotencyStore.Running;
import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.TestKeys;
import dev.postgate.common.testing.WorkspaceServiceResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A request that runs past the abandon window loses its Idempotency-Key to a repeat. When it
 * finishes after all, it must neither store its answer over the repeat's (a later repeat would
 * be replayed the wrong answer) nor release the repeat's claim (a third request would run again).
 * The store is driven directly: a real request cannot be held for the two-minute window here.
 */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WorkspaceServiceResource.class, scope = TestResourceScope.GLOBAL)
class IdempotencyTakeoverTest {
    private static final Duration WINDOW = Duration.ofMinutes(2);
    private static final Duration AT_ONCE = Duration.ZERO;
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    IdempotencyStore store;

    @Test
    void aRequestThatRanPastTheWindowDoesNotOverwriteTheRepeatsAnswer() throws InterruptedException {
        String org = TestKeys.newOrg();
        Claimed first = claimed(store.claim(org, "k", "f", WINDOW).await().atMost(WAIT));
        Thread.sleep(5);
        Claimed repeat = claimed(store.claim(org, "k", "f", AT_ONCE).await().atMost(WAIT));

        assertEquals(true, store.complete(org, "k", repeat.claimedAt(), 201, "{\"data\":\"repeat\"}").await().atMost(WAIT));
        assertEquals(false, store.complete(org, "k", first.claimedAt(), 201, "{\"data\":\"first\"}").await().atMost(WAIT));

        Claim later = store.claim(org, "k", "f", WINDOW).await().atMost(WAIT);
        assertEquals("{\"data\":\"repeat\"}", assertInstanceOf(Done.class, later).body());
    }

    @Test
    void aRequestThatRanPastTheWindowDoesNotReleaseTheRepeatsClaim() throws InterruptedException {
        String org = TestKeys.newOrg();
        Claimed first = claimed(store.claim(org, "k", "f", WINDOW).await().atMost(WAIT));
        Thread.sleep(5);
        claimed(store.claim(org, "k", "f", AT_ONCE).await().atMost(WAIT));

        store.release(org, "k", first.claimedAt()).await().atMost(WAIT);

        assertInstanceOf(Running.class, store.claim(org, "k", "f", WINDOW).await().atMost(WAIT),
                "the repeat still runs: a third request with the key must wait for its answer");
    }

    private static Claimed claimed(Claim claim) {
        return assertInstanceOf(Claimed.class, claim);
    }
}
