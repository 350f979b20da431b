package dev.postgate.publish.generation;

import java.time.Instant;

import jakarta.validation.constraints.NotBlank;

import dev.postgate.common.api.Identified;
import dev.postgate.common.validation.Text;

/** Request and response bodies of the generation API (JSON, snake_case). */
public final class GenerationViews {
    private GenerationViews() {
    }

    static final int MAX_PROMPT = 2000;

    /**
     * {@code prompt} (1–2000 characters); {@code style} and {@code size} ("WIDTHxHEIGHT", images
     * and videos only) as {@link GenerationKind} allows them for the kind, defaults filled in.
     */
    public record GenerateRequest(
            @NotBlank(message = "is required (1 to " + MAX_PROMPT + " characters)")
            @Text(max = MAX_PROMPT) String prompt, String style, String size) {
    }

    public record GenerationView(String id, String kind, String status, String text, String mediaId, long creditsSpent,
            String prompt, String style, String size, Instant createdAt, Instant updatedAt) implements Identified {

        public static GenerationView of(Generation generation) {
            String size = generation.width == null ? null : generation.width + "x" + generation.height;
            return new GenerationView(generation.id, generation.kind, generation.generationState().visible(), generation.text, generation.mediaId,
                    generation.credits, generation.prompt, generation.style, size, generation.createdAt,
                    generation.updatedAt);
        }
    }
}
