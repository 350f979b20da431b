package dev.postgate.common.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UrlPathsTest {
    @Test
    void aTrailingSlashNamesTheSamePath() {
        assertEquals("/api/v1/keys", UrlPaths.withoutTrailingSlash("/api/v1/keys/"));
        assertEquals("/api/v1/keys", UrlPaths.withoutTrailingSlash("/api/v1/keys"));
        assertEquals("/", UrlPaths.withoutTrailingSlash("/"));
    }

    @Test
    void aPrefixCoversWholeSegments() {
        assertTrue(UrlPaths.isUnder("/api/v1/media", "/api/v1/media"));
        assertTrue(UrlPaths.isUnder("/api/v1/media/med_1", "/api/v1/media"));
        assertTrue(UrlPaths.isUnder("/api/v1/media/med_1", "/api/v1/media/"));
        assertTrue(UrlPaths.isUnder("/api/v1/media", "/api/v1/media/"));
        assertFalse(UrlPaths.isUnder("/api/v1/mediax", "/api/v1/media"));
        assertFalse(UrlPaths.isUnder("/api/v1", "/api/v1/media"));
        assertTrue(UrlPaths.isUnder("/anything", "/"));
    }
}
