package dev.postgate.keys.keys;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.PartialIndexes;

/** The expiry job looks for keys past their expiry through the partial index {@code api_keys_expiring}. */
class ExpiringKeysQueryTest {
    @Test
    void theQueryWritesOutTheStatusOfItsPartialIndex() throws IOException {
        PartialIndexes.assertWritesOutValues(KeyRepository.LOCK_DUE_FOR_EXPIRY, "V1__api_keys.sql", "api_keys_expiring");
    }
}
