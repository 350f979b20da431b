package dev.postgate.publish.posts;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.postgate.common.client.InternalLimits;

/** A post of as many accounts as it may name is read and reserved for in one internal call each, which workspace-service accepts. */
class PostLimitsTest {
    @Test
    void aPostsAccountsFitOneAccountLookUpAndOneReserveBatch() {
        assertTrue(PostViews.MAX_ACCOUNTS <= InternalLimits.ACCOUNT_IDS, "ids= of one look-up");
        assertTrue(PostViews.MAX_ACCOUNTS <= InternalLimits.RESERVATIONS, "items of one reserve batch");
    }
}
