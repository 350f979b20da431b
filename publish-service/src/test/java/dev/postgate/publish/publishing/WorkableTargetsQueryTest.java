package dev.postgate.publish.publishing;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.PartialIndexes;

/** The worker looks for targets with work on every pass, through the partial index {@code post_targets_work}. */
class WorkableTargetsQueryTest {
    @Test
    void theQueryWritesOutTheStatesOfItsPartialIndex() throws IOException {
        PartialIndexes.assertWritesOutValues(PostTargetRepository.LOCK_WORKABLE, "V1__publish.sql", "post_targets_work");
    }
}
