package dev.postgate.publish.generation;

import dev.postgate.common.wire.WireName;
import dev.postgate.publish.credits.Prices;

/** What a generation makes: a caption (text), an image (PNG) or a video (a short animation). */
public enum GenerationKind implements WireName {
    CAPTION, IMAGE, VIDEO;

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
