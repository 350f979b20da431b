package dev.postgate.common.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A worker's query is read through a partial index only if PostgreSQL can see the index's values
 * in the query itself: bound as parameters, a plan kept for every parameter value reads the whole
 * table. These checks read the index from the service's migrations.
 */
public final class PartialIndexes {
    private PartialIndexes() {
    }

    /** The {@code where} of {@code create index <index> … where …;} in the migration on the class path. */
    public static String predicate(String migration, String index) throws IOException {
        try (InputStream in = PartialIndexes.class.getResourceAsStream("/db/migration/" + migration)) {
            assertNotNull(in, migration + " on the class path");
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("create index " + index + " on \\w+ \\([^)]*\\)\\s+where ([^;]+);").matcher(sql);
            assertTrue(m.find(), index + " in " + migration);
            return m.group(1).replaceAll("\\s+", " ").strip();
        }
    }

    /** Asserts that {@code query} writes out every quoted value of the index's predicate, as a literal. */
    public static void assertWritesOutValues(String query, String migration, String index) throws IOException {
        String predicate = predicate(migration, index);
        List<String> values = new ArrayList<>();
        Matcher quoted = Pattern.compile("'[^']*'").matcher(predicate);
        while (quoted.find()) {
            values.add(quoted.group());
        }
        assertTrue(!values.isEmpty(), predicate);
        for (String value : values) {
            assertTrue(query.contains(value), query + " does not write out " + value + " of the index predicate " + predicate);
        }
    }
}
