package dev.postgate.keys.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import dev.postgate.common.errors.ValidationException;
import dev.postgate.common.keys.Scopes;

/** SPEC section 2, "Scopes": presets, aliases, union, errors naming the value, canonical order. */
class ScopeExpansionTest {
    private static final List<String> READS = List.of("account:read", "analytics:read", "calendar:read", "content:read",
            "images:read", "media:read", "posts:read", "videos:read");

    @Test
    void fullPresetIsEveryScope() {
        assertEquals(sorted(Scopes.ALL), List.copyOf(ScopeExpansion.expand(null, "full")));
        assertEquals(15, ScopeExpansion.expand(null, "full").size());
    }

    @Test
    void draftPresetIsEveryScopeButPublishing() {
        List<String> expected = new ArrayList<>(sorted(Scopes.ALL));
        expected.remove("posts:publish");
        assertEquals(expected, List.copyOf(ScopeExpansion.expand(null, "draft")));
    }

    @Test
    void readOnlyPresetIsEveryReadScope() {
        assertEquals(READS, List.copyOf(ScopeExpansion.expand(null, "read_only")));
    }

    @Test
    void aliasesExpandToTheirScopes() {
        assertEquals(READS, List.copyOf(ScopeExpansion.expand(List.of("read"), null)));
        assertEquals(List.of("calendar:write", "media:write", "posts:publish", "posts:write"),
                List.copyOf(ScopeExpansion.expand(List.of("write"), null)));
        assertEquals(List.of("images:generate"), List.copyOf(ScopeExpansion.expand(List.of("ai"), null)));
    }

    @Test
    void theKeyGetsTheUnionOfScopesAliasesAndPreset() {
        Set<String> scopes = ScopeExpansion.expand(List.of("posts:publish", "ai", "posts:publish"), "read_only");
        List<String> expected = new ArrayList<>(READS);
        expected.addAll(List.of("images:generate", "posts:publish"));
        assertEquals(sorted(expected), List.copyOf(scopes));
    }

    @Test
    void outputIsCanonicalAndSortedWhateverTheInputOrder() {
        Set<String> scopes = ScopeExpansion.expand(List.of("videos:read", "account:read", "posts:write", "media:write"), null);
        assertEquals(List.of("account:read", "media:write", "posts:write", "videos:read"), List.copyOf(scopes));
    }

    @Test
    void everyCanonicalScopeIsAcceptedAlone() {
        for (String scope : Scopes.ALL) {
            assertEquals(List.of(scope), List.copyOf(ScopeExpansion.expand(List.of(scope), null)));
        }
    }

    @Test
    void unknownScopeIs422NamingTheValue() {
        ValidationException e = assertThrows(ValidationException.class,
                () -> ScopeExpansion.expand(List.of("posts:read", "posts:delete"), null));
        assertEquals(422, e.status());
        assertEquals("VALIDATION_FAILED", e.code());
        assertTrue(e.getMessage().contains("'posts:delete'"), e.getMessage());
        assertEquals("scopes[1]", field(e));
    }

    @Test
    void scopeNamesAreCaseSensitive() {
        ValidationException e = assertThrows(ValidationException.class, () -> ScopeExpansion.expand(List.of("Posts:Read"), null));
        assertTrue(e.getMessage().contains("'Posts:Read'"), e.getMessage());
    }

    @Test
    void unknownPresetIs422NamingTheValue() {
        ValidationException e = assertThrows(ValidationException.class, () -> ScopeExpansion.expand(null, "everything"));
        assertEquals(422, e.status());
        assertTrue(e.getMessage().contains("'everything'"), e.getMessage());
        assertEquals("preset", field(e));
    }

    @Test
    void presetNamesAreNotScopesAndAliasesAreNotPresets() {
        assertThrows(ValidationException.class, () -> ScopeExpansion.expand(List.of("full"), null));
        assertThrows(ValidationException.class, () -> ScopeExpansion.expand(null, "read"));
    }

    @Test
    void nullEntryIsAnUnknownScope() {
        ValidationException e = assertThrows(ValidationException.class,
                () -> ScopeExpansion.expand(Arrays.asList("posts:read", null), null));
        assertEquals(422, e.status());
        assertEquals("scopes[1]", field(e));
    }

    @Test
    void emptyResultIs422() {
        for (List<String> scopes : Arrays.asList(null, List.<String>of())) {
            ValidationException e = assertThrows(ValidationException.class, () -> ScopeExpansion.expand(scopes, null));
            assertEquals(422, e.status());
            assertEquals("scopes", field(e));
        }
    }

    @SuppressWarnings("unchecked")
    private static String field(ValidationException e) {
        List<Map<String, String>> fields = (List<Map<String, String>>) e.details().get("fields");
        assertEquals(1, fields.size(), fields.toString());
        return fields.get(0).get("field");
    }

    private static List<String> sorted(List<String> scopes) {
        return List.copyOf(new TreeSet<>(scopes));
    }
}
