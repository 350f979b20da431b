package dev.postgate.common.errors;

import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

/**
 * Recognises failures that mean "a dependency (the database) is down or restarting" rather than
 * a bug, so they answer 503 UNAVAILABLE instead of 500: connection refused, reset or closed, timeouts,
 * and PostgreSQL's connection-exception (08xxx) and shutdown (57P0x) states.
 */
public final class DependencyFailures {
    private DependencyFailures() {
    }

    public static boolean isUnavailable(Throwable failure) {
        if (PgStates.isUnavailable(failure)) {
            return true;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SocketException || t instanceof ClosedChannelException || t instanceof TimeoutException
                    || t instanceof io.vertx.sqlclient.ClosedConnectionException) {
                return true;
            }
            String message = t.getMessage();
            if (message != null && (message.contains("Connection refused") || message.contains("Connection reset")
                    || message.contains("Connection is not active")
                    || message.contains("Pool closed") || message.contains("read any response from the server"))) {
                return true;
            }
        }
        return false;
    }

    public static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
