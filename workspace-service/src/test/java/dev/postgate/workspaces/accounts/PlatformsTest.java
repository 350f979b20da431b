package dev.postgate.workspaces.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The platforms are written twice because annotations take only constants: as a pattern and as the list a message names. */
class PlatformsTest {
    @Test
    void thePatternAndTheListNameTheSamePlatformsInTheSameOrder() {
        assertEquals(Platforms.LIST, Platforms.PATTERN.replace("|", ", "));
    }
}
