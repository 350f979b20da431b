package dev.postgate.publish.posts;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.PartialIndexes;

/** The scheduler and the worker look for posts on every pass through the partial indexes {@code posts_due} and {@code posts_reserving}. */
class DuePostsQueryTest {
    @Test
    void theQueriesWriteOutTheStatusesOfTheirPartialIndexes() throws IOException {
        PartialIndexes.assertWritesOutValues(PostRepository.LOCK_DUE, "V1__publish.sql", "posts_due");
        PartialIndexes.assertWritesOutValues(PostRepository.LOCK_ABANDONED_RESERVATIONS, "V1__publish.sql", "posts_reserving");
    }
}
