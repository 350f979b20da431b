package dev.postgate.publish.generation;

import dev.postgate.publish.credits.Prices;

/** What a generation makes: a caption (text), an image (PNG) or a video (a short animation). */
public enum GenerationKind {
    CAPTION, IMAGE, VIDEO;

    public String wire() {
        return name().toLowerCase();
    }

    public long price(Prices prices) {
        return switch (this) {
            case CAPTION -> prices.caption();
            case IMAGE -> prices.image();
            case VIDEO -> prices.video();
        };
    }

    public boolean makesMedia() {
        return this != CAPTION;
    }
}
