package dev.postgate.common.errors;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.SocketException;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

class DependencyFailuresTest {

    @Test
    void aDatabaseGoingAwayIsUnavailableNotABug() {
        assertTrue(DependencyFailures.isUnavailable(new ConnectException("Connection refused")));
        assertTrue(DependencyFailures.isUnavailable(new CompletionException(new SocketException("Connection reset"))));
        assertTrue(DependencyFailures.isUnavailable(new IllegalStateException(
                "Failed to read any response from the server, the underlying connection may have been lost unexpectedly.")));
        assertTrue(DependencyFailures.isUnavailable(new RuntimeException(new java.io.IOException("Connection reset by peer"))));
    }

    @Test
    void aProgrammingErrorIsNotMistakenForAnOutage() {
        assertFalse(DependencyFailures.isUnavailable(new NullPointerException()));
        assertFalse(DependencyFailures.isUnavailable(new IllegalArgumentException("bad value")));
    }
}
