package dev.postgate.publish.publishing;

import java.time.Duration;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Which {@link SocialConnector} publishes live posts. Test-mode posts always use the sandbox. */
@ConfigMapping(prefix = "postgate.publish.connectors")
public interface ConnectorsConfig {

    /** The connector of every platform not named in {@link #platforms()}. */
    @WithName("default")
    String defaultConnector();

    /** Per platform ({@code instagram}, {@code x}, …): a connector name. */
    Map<String, String> platforms();

    /**
     * How long a platform's metrics may take when a post's analytics are read (the targets' calls
     * run side by side): a target whose platform has not answered by then shows no numbers.
     */
    @WithDefault("3s")
    Duration metricsTimeLimit();
}
