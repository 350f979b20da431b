package dev.postgate.publish.posts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.WorkspaceServiceResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/**
 * The publish request reads posts by plain SQL (no Hibernate session): each column lands in the
 * field Hibernate maps it to, by the same naming strategy, the lease's fields (a mapped
 * superclass) included; a row without one of them is refused, naming the column.
 */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WorkspaceServiceResource.class, scope = TestResourceScope.GLOBAL)
class PostRowsTest {
    private static final Instant AT = Instant.parse("2026-12-06T10:15:30.123456Z");

    @Inject
    Pool pool;

    private Row row(String select) {
        return pool.query(select).execute().await().atMost(Duration.ofSeconds(10)).iterator().next();
    }

    @Test
    void everyColumnIsReadIntoItsField() {
        Post post = PostRepository.read(row("""
                select 'post_1' as id, 'org_1' as org_id, 'ws_1' as workspace_id, 'Hello' as content,
                       array['acc_1', 'acc_2']::varchar[] as account_ids, array['med_1']::varchar[] as media_ids,
                       'failed' as status, 'insufficient_credits' as failure_reason,
                       timestamptz '2026-12-06 10:15:30.123456+00' as scheduled_at,
                       timestamptz '2026-12-06 11:15:30.123456+01' as published_at,
                       true as test_mode, 3 as publish_attempts,
                       timestamptz '2026-12-06 10:15:30.123456+00' as lease_until, 'tok' as lease_token,
                       'key_1' as created_by, timestamptz '2026-12-06 10:15:30.123456+00' as created_at,
                       timestamptz '2026-12-06 10:15:30.123456+00' as updated_at, null::timestamptz as deleted_at"""));
        assertEquals("post_1", post.id);
        assertEquals("org_1", post.orgId);
        assertEquals("ws_1", post.workspaceId);
        assertEquals("Hello", post.content);
        assertArrayEquals(new String[] {"acc_1", "acc_2"}, post.accountIds);
        assertArrayEquals(new String[] {"med_1"}, post.mediaIds);
        assertEquals(PostStatus.FAILED, post.postStatus());
        assertEquals("insufficient_credits", post.failureReason);
        assertEquals(AT, post.scheduledAt);
        assertEquals(AT, post.publishedAt);
        assertTrue(post.testMode);
        assertEquals(3, post.publishAttempts);
        assertEquals(AT, post.leaseUntil);
        assertEquals("tok", post.leaseToken);
        assertEquals("key_1", post.createdBy);
        assertEquals(AT, post.createdAt);
        assertEquals(AT, post.updatedAt);
        assertNull(post.deletedAt);
    }

    @Test
    void aRowWithoutAMappedColumnIsRefusedNamingIt() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> PostRepository.read(row("select 'post_2' as id, 2 as publish_attempts")));
        assertTrue(refused.getMessage().contains("org_id"), refused.getMessage());
    }
}
