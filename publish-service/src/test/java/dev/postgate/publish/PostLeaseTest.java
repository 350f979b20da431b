package dev.postgate.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.postgate.common.api.Ids;
import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.WorkspaceServiceResource;
import dev.postgate.publish.posts.Post;
import dev.postgate.publish.posts.PostStatus;
import dev.postgate.publish.publishing.PublishClaim;
import dev.postgate.publish.publishing.PublishSteps;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/**
 * Every step of a worker on a post it claimed first checks the claim's lease token, as the steps
 * on targets and generations do: a step whose claim another worker took over (or that holds no
 * token) changes nothing and answers null; the holder's step goes through.
 */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WorkspaceServiceResource.class, scope = TestResourceScope.GLOBAL)
class PostLeaseTest {
    private static final String HELD = "held-by-another-worker";

    @Inject
    PublishSteps steps;

    /** A post being published by a worker whose lease still runs, with one target waiting for its credits. */
    private static String claimedPost() {
        Api.Tenant tenant = Api.tenant(5);
        String account = tenant.account("x", "leased");
        IssuedKey key = tenant.key("posts:write", "posts:read");
        String post = tenant.draft(key, "Claimed by a worker", account);
        assertEquals(1, Db.update("update posts set status = 'publishing', publish_attempts = 1, lease_token = ?,"
                + " lease_until = now() + interval '1 hour' where id = ?", HELD, post));
        Db.update("""
                insert into post_targets (id, post_id, account_id, position, platform, account_name, state, attempt,
                                          created_at, updated_at)
                values (?, ?, ?, 0, 'x', 'leased', 'reserving', 1, now(), now())""", "tgt_" + Ids.ulid(), post, account);
        return post;
    }

    private static Object column(String table, String column, String where, String id) {
        return Db.query("select " + column + " from " + table + " where " + where + " = ?", id).get(0).get(column);
    }

    private static PublishClaim claim(String postId, String leaseToken) {
        Post post = new Post();
        post.id = postId;
        return new PublishClaim(post, leaseToken, List.of(), List.of(), new PublishClaim.Before(PostStatus.DRAFT, null, null, Instant.now().truncatedTo(ChronoUnit.MICROS)));
    }

    @Test
    void aStepOnAPostWhoseLeaseIsNotTheCallersChangesNothing() throws Throwable {
        String post = claimedPost();

        assertNull(VertxContextSupport.subscribeAndAwait(() -> steps.failReserving(post, "taken-over", "declined")));
        assertNull(VertxContextSupport.subscribeAndAwait(() -> steps.failReserving(post, null, "declined")));
        assertNull(VertxContextSupport.subscribeAndAwait(() -> steps.revert(claim(post, "taken-over"), false)));
        assertNull(VertxContextSupport.subscribeAndAwait(() -> steps.revert(claim(post, null), false)));
        assertNull(VertxContextSupport.subscribeAndAwait(() -> steps.addTargets(claim(post, "taken-over"), List.of())));
        assertNull(VertxContextSupport.subscribeAndAwait(() -> steps.addTargets(claim(post, null), List.of())));

        assertEquals("publishing", column("posts", "status", "id", post));
        assertEquals(HELD, column("posts", "lease_token", "id", post));
        assertEquals("reserving", column("post_targets", "state", "post_id", post));

        assertNotNull(VertxContextSupport.subscribeAndAwait(() -> steps.failReserving(post, HELD, "declined")));
        assertEquals("failed", column("post_targets", "state", "post_id", post));
        assertEquals("declined", column("post_targets", "error", "post_id", post));
        assertNull(column("posts", "lease_token", "id", post), "the holder's step gives the lease up");

        String reverted = claimedPost();
        assertNotNull(VertxContextSupport.subscribeAndAwait(() -> steps.addTargets(claim(reverted, HELD), List.of())));
        assertNotNull(VertxContextSupport.subscribeAndAwait(() -> steps.revert(claim(reverted, HELD), false)));
        assertEquals("draft", column("posts", "status", "id", reverted), "put back as it was before the attempt");
        assertNull(column("posts", "lease_token", "id", reverted));
        assertEquals(0, Db.count("select count(*) from post_targets where post_id = ?", reverted));
    }
}
