package dev.postgate.publish.generation;

import java.time.Instant;

import jakarta.validation.constraints.NotBlank;

import dev.postgate.common.validation.Text;
import dev.postgate.common.validation.Text.Controls;

/** Request and response bodies of the generation API (JSON, snake_case). */
public final class GenerationViews {
    private GenerationViews() {
    }

    static final int MAX_PROMPT = 2000;

    /**
     * {@code prompt} (1–2000 characters); {@code style}: friendly, professional or playful for
     * captions, light, dark or vivid for images and videos; {@code size} ("WIDTHxHEIGHT") for
     * images (64–1024 each, default 512x512) and videos (64–640, default 320x240).
     */
    public record GenerateRequest(
            @NotBlank(message = "is required (1 to " + MAX_PROMPT + " characters)")
            @Text(max = MAX_PROMPT, controls = Controls.LINES) String prompt, String style, String size) {
    }

    public record GenerationView(String id, String kind, String status, String text, String mediaId, long creditsSpent,
            String prompt, String style, String size, Instant createdAt) {

        public static GenerationView of(Generation generation) {
            String size = generation.width == null ? null : generation.width + "x" + generation.height;
            String status = Generation.SETTLING.equals(generation.state) ? Generation.SUCCEEDED : generation.state;
            return new GenerationView(generation.id, generation.kind, status, generation.text, generation.mediaId,
                    generation.credits, generation.prompt, generation.style, size, generation.createdAt);
        }
    }
}
