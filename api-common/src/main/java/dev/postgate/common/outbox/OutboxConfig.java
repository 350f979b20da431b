package dev.postgate.common.outbox;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "postgate.outbox")
public interface OutboxConfig {
    /** Services that write events turn the relay on. */
    @WithDefault("false")
    boolean enabled();

    /** Safety-net poll: events are normally published right after their commit ({@link OutboxRelay#wake()}). */
    @WithDefault("250ms")
    Duration pollInterval();

    @WithDefault("200")
    int batchSize();

    /** Wait after a failed pass (broker or database down) before the next. */
    @WithDefault("1s")
    Duration retryBackoff();

    /** Topics that get a heartbeat record on every partition at this interval. */
    Optional<List<String>> heartbeatTopics();

    @WithDefault("500ms")
    Duration heartbeatInterval();

    /** How long published rows are kept before deletion. */
    @WithDefault("24h")
    Duration keepPublished();
}
