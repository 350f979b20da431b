package dev.postgate.publish.generation;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * A stand-in for a real AI provider whose client answers on a thread of its own (a blocking SDK
 * run on a worker pool, an HTTP client's I/O thread): an image, a 2×2 PNG, handed over on a
 * worker thread. Only a test profile that names it ({@code postgate.publish.generation.provider=elsewhere})
 * uses it.
 */
@ApplicationScoped
public class ElsewhereProvider implements GenerationProvider {
    @Override
    public String name() {
        return "elsewhere";
    }

    @Override
    public Uni<Output> generate(Spec spec) {
        return Uni.createFrom().item(() -> spec.kind().makesMedia() ? Output.file(png(), "image/png")
                : Output.text("Written elsewhere: " + spec.prompt())).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private static byte[] png() {
        Raster raster = new Raster(2, 2);
        raster.fill(0x3366CC);
        return Png.encode(raster);
    }
}
