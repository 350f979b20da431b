package dev.postgate.publish.generation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.quarkus.runtime.StartupEvent;

/** Chooses the provider: the built-in one for test-mode keys, else the configured one. */
@ApplicationScoped
public class GenerationProviders {
    @Inject
    @Any
    Instance<GenerationProvider> available;

    @Inject
    GenerationConfig config;

    @Inject
    BuiltInProvider builtIn;

    private GenerationProvider configured;

    /** A configured provider that does not exist stops the start, not the first generation. */
    void check(@Observes StartupEvent event) {
        for (GenerationProvider provider : available) {
            if (provider.name().equals(config.provider())) {
                configured = provider;
            }
        }
        if (configured == null) {
            throw new IllegalStateException("No generation provider named '" + config.provider()
                    + "'; check postgate.publish.generation.provider");
        }
    }

    public GenerationProvider forMode(boolean testMode) {
        return testMode ? builtIn : configured;
    }
}
