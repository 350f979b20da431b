package dev.postgate.publish.generation;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

/**
 * A stand-in for a real AI provider with faults of its own: it fails with an error that is neither
 * {@link GenerationProvider.Rejected} nor {@link GenerationProvider.Unavailable} (a connection reset
 * its client let through), or answers what cannot be stored (a file without a type, bytes that are
 * not the type it names, text for an image), or names the type of a good file oddly. Only a test profile that names it
 * ({@code postgate.publish.generation.provider=broken}) uses it; the prompt chooses the fault.
 */
@ApplicationScoped
public class BrokenProvider implements GenerationProvider {
    @Override
    public String name() {
        return "broken";
    }

    @Override
    public Uni<Output> generate(Spec spec) {
        return switch (spec.prompt()) {
            case "reset" -> Uni.createFrom().failure(new IllegalStateException("Connection reset by peer"));
            case "untyped" -> Uni.createFrom().item(Output.file(new byte[] { 1, 2, 3 }, null));
            case "mislabelled" -> Uni.createFrom().item(Output.file("<svg/>".getBytes(StandardCharsets.US_ASCII), "image/png"));
            case "text" -> Uni.createFrom().item(Output.text("an image, in words"));
            case "shouting" -> Uni.createFrom().item(Output.file(
                    "\u0089PNG\r\n\u001a\n and the rest".getBytes(StandardCharsets.ISO_8859_1), "IMAGE/PNG; profile=x"));
            default -> Uni.createFrom().item(Output.text("Written: " + spec.prompt()));
        };
    }
}
