package dev.postgate.publish.publishing;

import io.smallrye.config.ConfigMapping;

/** The built-in sandbox connector. */
@ConfigMapping(prefix = "postgate.publish.sandbox")
public interface SandboxConfig {

    /**
     * Share of calls (0.0 to 1.0) that fail on purpose, as a flaky platform would. The draw is
     * made from the idempotency key, so a repeated call gets the same answer.
     */
    double failureRate();
}
