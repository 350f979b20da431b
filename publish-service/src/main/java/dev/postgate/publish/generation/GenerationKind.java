package dev.postgate.publish.generation;

import java.util.List;

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

    /** The styles a request may ask for, the default first: what the request is checked against and what providers render. */
    public List<String> styles() {
        return this == CAPTION ? List.of("friendly", "professional", "playful") : List.of("light", "dark", "vivid");
    }

    public String defaultStyle() {
        return styles().get(0);
    }

    /** The longest side of an image or video, in pixels (0 for captions, which have no size). */
    public int maxSide() {
        return switch (this) {
            case CAPTION -> 0;
            case IMAGE -> 1024;
            case VIDEO -> 640;
        };
    }

    /** The size made when none is asked for ("WIDTHxHEIGHT"); null for captions. */
    public String defaultSize() {
        return switch (this) {
            case CAPTION -> null;
            case IMAGE -> "512x512";
            case VIDEO -> "320x240";
        };
    }
}
