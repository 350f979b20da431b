package dev.postgate.publish.publishing;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.quarkus.runtime.StartupEvent;

/** Chooses the connector of a target: the sandbox for test-mode posts, else the configured one of its platform. */
@ApplicationScoped
public class Connectors {
    @Inject
    @Any
    Instance<SocialConnector> available;

    @Inject
    ConnectorsConfig config;

    @Inject
    SandboxConnector sandbox;

    private final Map<String, SocialConnector> byName = new HashMap<>();

    /** A configured connector that does not exist, or a metrics time limit of zero, stops the start, not the first request. */
    void check(@Observes StartupEvent event) {
        for (SocialConnector connector : available) {
            byName.put(connector.name(), connector);
        }
        named(config.defaultConnector());
        config.platforms().values().forEach(this::named);
        if (config.metricsTimeLimit().isNegative() || config.metricsTimeLimit().isZero()) {
            throw new IllegalStateException("postgate.publish.connectors.metrics-time-limit (" + config.metricsTimeLimit()
                    + ") must be more than zero: analytics would wait for no platform's numbers");
        }
    }

    public SocialConnector forTarget(boolean testMode, String platform) {
        if (testMode) {
            return sandbox;
        }
        return named(platform == null ? config.defaultConnector() : config.platforms().getOrDefault(platform, config.defaultConnector()));
    }

    public SocialConnector named(String name) {
        SocialConnector connector = byName.get(name);
        if (connector == null) {
            throw new IllegalStateException("No social connector named '" + name + "' (known: " + byName.keySet()
                    + "); check postgate.publish.connectors.*");
        }
        return connector;
    }
}
