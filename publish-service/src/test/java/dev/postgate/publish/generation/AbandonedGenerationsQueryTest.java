package dev.postgate.publish.generation;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The worker looks for abandoned generations on every pass. PostgreSQL reads them through the
 * partial index {@code generations_unfinished} only if the query itself says the index's states:
 * with the states bound as a parameter, a plan kept for all parameter values reads the whole table.
 */
class AbandonedGenerationsQueryTest {
    private static String indexPredicate(String index) throws IOException {
        try (InputStream migration = AbandonedGenerationsQueryTest.class.getResourceAsStream("/db/migration/V1__publish.sql")) {
            assertNotNull(migration, "V1__publish.sql on the class path");
            String sql = new String(migration.readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("create index " + index + " on \\w+ \\([^)]*\\)\\s+where ([^;]+);").matcher(sql);
            assertTrue(m.find(), index + " in V1__publish.sql");
            return m.group(1).replaceAll("\\s+", " ").strip();
        }
    }

    @Test
    void theQueryWritesOutTheStatesOfItsPartialIndex() throws IOException {
        String predicate = indexPredicate("generations_unfinished");
        assertTrue(GenerationRepository.LOCK_ABANDONED.contains(predicate),
                GenerationRepository.LOCK_ABANDONED + " does not contain the index predicate " + predicate);
    }
}
