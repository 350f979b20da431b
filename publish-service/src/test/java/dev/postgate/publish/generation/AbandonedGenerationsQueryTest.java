package dev.postgate.publish.generation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.PartialIndexes;

/**
 * The worker looks for abandoned generations on every pass. PostgreSQL reads them through the
 * partial index {@code generations_unfinished} only if the query itself says the index's states:
 * with the states bound as a parameter, a plan kept for all parameter values reads the whole table.
 */
class AbandonedGenerationsQueryTest {
    @Test
    void theQueryWritesOutTheStatesOfItsPartialIndex() throws IOException {
        String predicate = PartialIndexes.predicate("V1__publish.sql", "generations_unfinished");
        assertTrue(GenerationRepository.LOCK_ABANDONED.contains(predicate),
                GenerationRepository.LOCK_ABANDONED + " does not contain the index predicate " + predicate);
        PartialIndexes.assertWritesOutValues(GenerationRepository.LOCK_ABANDONED, "V1__publish.sql", "generations_unfinished");
    }
}
