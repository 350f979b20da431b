package dev.postgate.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.postgate.common.keys.KeyMode;

/**
 * A key without {@code workspace_ids} (null or empty) may use every workspace of its
 * organisation; one with them only those. The access check and workspace-service's query filter
 * both read it from {@link KeyIdentity#limitedTo()}.
 */
class KeyIdentityTest {
    private static KeyIdentity key(List<String> workspaceIds) {
        return new KeyIdentity("key_1", "test", "org_1", Set.of(), workspaceIds, KeyMode.LIVE, null);
    }

    @Test
    void noWorkspaceIdsMeansEveryWorkspace() {
        for (KeyIdentity unlimited : List.of(key(null), key(List.of()))) {
            assertEquals(Optional.empty(), unlimited.limitedTo());
            assertTrue(unlimited.mayUseWorkspace("ws_any"));
        }
    }

    @Test
    void workspaceIdsLimitTheKeyToThem() {
        KeyIdentity limited = key(List.of("ws_a", "ws_b"));
        assertEquals(Optional.of(List.of("ws_a", "ws_b")), limited.limitedTo());
        assertTrue(limited.mayUseWorkspace("ws_b"));
        assertFalse(limited.mayUseWorkspace("ws_c"));
    }
}
