package dev.postgate.publish.generation;

import io.smallrye.mutiny.Uni;

/**
 * Makes captions, images and videos. Postgate reserves the credits before calling
 * {@link #generate}, stores what it returns as media of the workspace and settles; a failure
 * refunds. A provider fails with {@link Rejected} when it refuses the prompt (422 to the
 * caller) and {@link Unavailable} when it cannot work right now (503). Providers are CDI beans,
 * chosen by {@link #name()} through {@code postgate.publish.generation.provider}.
 */
public interface GenerationProvider {

    String name();

    Uni<Output> generate(Spec spec);

    /** What to make. {@code width}/{@code height} are set for images and videos. */
    record Spec(GenerationKind kind, String prompt, String style, int width, int height) {
    }

    /** A caption's text, or a file (bytes and content type) for images and videos. */
    record Output(String text, byte[] bytes, String contentType) {
        public static Output text(String text) {
            return new Output(text, null, null);
        }

        public static Output file(byte[] bytes, String contentType) {
            return new Output(null, bytes, contentType);
        }
    }

    /** The provider refuses this prompt (content policy, nothing it can render…). */
    class Rejected extends RuntimeException {
        public Rejected(String message) {
            super(message, null, false, false);
        }
    }

    /** The provider cannot work right now. */
    class Unavailable extends RuntimeException {
        public Unavailable(String message) {
            super(message, null, false, false);
        }
    }
}
