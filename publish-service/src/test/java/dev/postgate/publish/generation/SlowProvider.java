package dev.postgate.publish.generation;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

/**
 * A stand-in for a real AI provider that is slow to answer (a video model, say): it answers after
 * {@link #DELAY}. Only a test profile that names it ({@code postgate.publish.generation.provider=slow})
 * uses it.
 */
@ApplicationScoped
public class SlowProvider implements GenerationProvider {
    public static final Duration DELAY = Duration.ofSeconds(4);

    @Override
    public String name() {
        return "slow";
    }

    @Override
    public Uni<Output> generate(Spec spec) {
        return Uni.createFrom().item(Output.text("Slowly written: " + spec.prompt())).onItem().delayIt().by(DELAY);
    }
}
