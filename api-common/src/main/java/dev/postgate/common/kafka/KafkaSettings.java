package dev.postgate.common.kafka;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Where the broker is and how long to wait for it; shared by the producer, the consumer and the health check. */
@ConfigMapping(prefix = "kafka")
public interface KafkaSettings {
    @WithName("bootstrap.servers")
    @WithDefault("127.0.0.1:9092")
    String bootstrapServers();

    /** How long a call to the broker may take before it counts as down. */
    @WithName("postgate.request-timeout")
    @WithDefault("5s")
    Duration requestTimeout();
}
