package dev.postgate.publish.generation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.postgate.common.hash.Sha256;
import dev.postgate.publish.media.MediaTypes;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * The provider that works offline and deterministically (the same request gives the same
 * bytes): a caption from the prompt and a template, a PNG with the prompt set in
 * {@link BitmapFont}, and for "video" a short animated PNG in which the prompt types itself
 * out. Rendering runs on a worker thread, never on the event loop.
 * <p>
 * Test hooks, in the spirit of the sandbox's {@code fail-} accounts: a prompt that starts with
 * {@value #REJECT_PREFIX} is refused (422) and one that starts with {@value #UNAVAILABLE_PREFIX}
 * finds the provider down (503), after the credits were reserved, so refunds can be seen.
 */
@ApplicationScoped
public class BuiltInProvider implements GenerationProvider {
    public static final String NAME = "builtin";
    public static final String REJECT_PREFIX = "fail-reject";
    public static final String UNAVAILABLE_PREFIX = "fail-unavailable";
    static final int VIDEO_FRAMES = 12;
    static final int VIDEO_HOLD_FRAMES = 3;

    @Inject
    Vertx vertx;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Uni<Output> generate(Spec spec) {
        if (spec.prompt().startsWith(REJECT_PREFIX)) {
            return Uni.createFrom().failure(new Rejected("The built-in provider refuses prompts that start with '"
                    + REJECT_PREFIX + "' (a test hook)."));
        }
        if (spec.prompt().startsWith(UNAVAILABLE_PREFIX)) {
            return Uni.createFrom().failure(new Unavailable("The built-in provider is down for prompts that start with '"
                    + UNAVAILABLE_PREFIX + "' (a test hook)."));
        }
        return switch (spec.kind()) {
            case CAPTION -> Uni.createFrom().item(Output.text(caption(spec.prompt(), spec.style())));
            case IMAGE -> render(() -> image(spec));
            case VIDEO -> render(() -> video(spec));
        };
    }

    /**
     * A PNG rendered on a worker thread, unordered: every request of an event loop shares the
     * loop's queue of ordered blocking tasks, so an ordered render would wait for every render
     * started before it on that loop.
     */
    private Uni<Output> render(Supplier<byte[]> png) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> Output.file(png.get(), MediaTypes.PNG)), false);
    }

    // ---- captions

    /** A family of templates for each caption style, in {@link GenerationKind#styles()} order. */
    private static final List<List<String>> TEMPLATES = List.of(
            List.of("Say hello to %s! ✨", "%s is here, and we love it. 💛", "Big news: %s! 🎉"),
            List.of("Introducing %s.", "%s: what it means for you.", "We are pleased to share %s."),
            List.of("Guess what? %s! 🚀", "%s? Yes, please! 😄", "Plot twist: %s 🙌"));

    static String caption(String prompt, String style) {
        String topic = prompt.strip().replaceAll("\\s+", " ").replaceAll("[.!?;:,]+$", "");
        if (topic.codePointCount(0, topic.length()) > 200) {
            topic = topic.substring(0, topic.offsetByCodePoints(0, 200)) + "…";
        }
        List<String> templates = TEMPLATES.get(styleIndex(GenerationKind.CAPTION, style));
        String template = templates.get(Math.floorMod(hash(prompt), templates.size()));
        String sentence = String.format(Locale.ROOT, template, template.startsWith("%s") ? capitalise(topic) : topic);
        List<String> tags = hashtags(prompt);
        return tags.isEmpty() ? sentence : sentence + "\n\n" + String.join(" ", tags);
    }

    /** Up to three hashtags: the prompt's longest words, in their order of appearance. */
    static List<String> hashtags(String prompt) {
        Set<String> words = new LinkedHashSet<>();
        for (String word : prompt.split("[^\\p{L}\\p{N}]+")) {
            if (word.length() >= 4) {
                words.add(capitalise(word.toLowerCase(Locale.ROOT)));
            }
        }
        List<String> longest = new ArrayList<>(words);
        longest.sort(Comparator.comparingInt(String::length).reversed());
        List<String> chosen = longest.subList(0, Math.min(3, longest.size()));
        return words.stream().filter(chosen::contains).map(w -> "#" + w).toList();
    }

    private static String capitalise(String text) {
        return text.isEmpty() ? text : text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
    }

    // ---- images

    /** Colours of a picture: background, text, accent (RGB). */
    record Palette(int background, int text, int accent) {
    }

    static Palette palette(String prompt, String style) {
        int h = hash(prompt);
        float hue = Math.floorMod(h, 360) / 360f;
        // one for each picture style, in GenerationKind's order: light, dark, vivid
        List<Palette> palettes = List.of(
                new Palette(hsv(hue, 0.18f, 0.97f), 0x1F2933, hsv(hue, 0.65f, 0.7f)),
                new Palette(hsv(hue, 0.45f, 0.18f), 0xF5F7FA, hsv(hue, 0.7f, 0.9f)),
                new Palette(hsv(hue, 0.85f, 0.75f), 0xFFFFFF, hsv(hue + 0.5f, 0.9f, 0.95f)));
        return palettes.get(styleIndex(GenerationKind.IMAGE, style));
    }

    /** Where {@code style} stands in the kind's styles; the default's place (0) for none or one it does not have. */
    private static int styleIndex(GenerationKind kind, String style) {
        return style == null ? 0 : Math.max(0, kind.styles().indexOf(style));
    }

    static byte[] image(Spec spec) {
        Layout layout = Layout.of(BitmapFont.drawable(spec.prompt()), spec.width(), spec.height());
        return Png.encode(frame(spec, layout, Integer.MAX_VALUE, -1));
    }

    /** A looping animation: the prompt types itself out under a progress bar, then holds. */
    static byte[] video(Spec spec) {
        Layout layout = Layout.of(BitmapFont.drawable(spec.prompt()), spec.width(), spec.height());
        int total = layout.characters();
        List<Raster> frames = new ArrayList<>();
        int typing = VIDEO_FRAMES - VIDEO_HOLD_FRAMES;
        for (int i = 0; i < VIDEO_FRAMES; i++) {
            int shown = i >= typing ? total : (int) Math.ceil(total * (i + 1) / (double) typing);
            frames.add(frame(spec, layout, shown, i));
        }
        return Png.encodeAnimated(frames, 1, 6);
    }

    private static Raster frame(Spec spec, Layout layout, int charactersShown, int frameIndex) {
        Palette colours = palette(spec.prompt(), spec.style());
        Raster raster = new Raster(spec.width(), spec.height());
        raster.fill(colours.background());
        int border = Math.max(2, layout.margin() / 4);
        raster.fillRect(0, 0, spec.width(), border, colours.accent());
        raster.fillRect(0, spec.height() - border, spec.width(), border, colours.accent());
        raster.fillRect(0, 0, border, spec.height(), colours.accent());
        raster.fillRect(spec.width() - border, 0, border, spec.height(), colours.accent());
        int drawn = 0;
        for (int line = 0; line < layout.lines().size(); line++) {
            String text = layout.lines().get(line);
            int x = (spec.width() - text.length() * layout.cellWidth() + layout.scale()) / 2;
            int y = layout.top() + line * layout.lineHeight();
            for (int i = 0; i < text.length() && drawn < charactersShown; i++, drawn++) {
                raster.drawChar(text.charAt(i), x + i * layout.cellWidth(), y, layout.scale(), colours.text());
            }
        }
        if (frameIndex >= 0) {
            int barHeight = Math.max(3, spec.height() / 40);
            int barWidth = (spec.width() - 2 * border) * (frameIndex + 1) / VIDEO_FRAMES;
            raster.fillRect(border, spec.height() - border - barHeight, barWidth, barHeight, colours.accent());
        }
        return raster;
    }

    /** Where the text goes: the largest scale at which the word-wrapped prompt fits, centred. */
    record Layout(List<String> lines, int scale, int margin, int top) {
        int cellWidth() {
            return (BitmapFont.WIDTH + 1) * scale;
        }

        int lineHeight() {
            return (BitmapFont.HEIGHT + 3) * scale;
        }

        int characters() {
            return lines.stream().mapToInt(String::length).sum();
        }

        static Layout of(String text, int width, int height) {
            int margin = Math.max(8, Math.min(width, height) / 12);
            String words = text.strip().replaceAll(" +", " ");
            for (int scale = 12; scale >= 1; scale--) {
                int columns = (width - 2 * margin) / ((BitmapFont.WIDTH + 1) * scale);
                int rows = (height - 2 * margin) / ((BitmapFont.HEIGHT + 3) * scale);
                if (columns < 1 || rows < 1) {
                    continue;
                }
                List<String> lines = wrap(words, columns);
                if (lines.size() <= rows || scale == 1) {
                    if (lines.size() > rows) {
                        lines = new ArrayList<>(lines.subList(0, rows));
                        String last = lines.get(rows - 1);
                        lines.set(rows - 1, (last.length() + 3 > columns ? last.substring(0, Math.max(0, columns - 3)) : last) + "...");
                    }
                    int blockHeight = lines.size() * (BitmapFont.HEIGHT + 3) * scale - 3 * scale;
                    return new Layout(lines, scale, margin, (height - blockHeight) / 2);
                }
            }
            return new Layout(List.of(), 1, margin, margin);
        }

        static List<String> wrap(String text, int columns) {
            List<String> lines = new ArrayList<>();
            StringBuilder line = new StringBuilder();
            for (String word : text.split(" ")) {
                while (word.length() > columns) {
                    if (!line.isEmpty()) {
                        lines.add(line.toString());
                        line.setLength(0);
                    }
                    lines.add(word.substring(0, columns));
                    word = word.substring(columns);
                }
                if (word.isEmpty()) {
                    continue;
                }
                if (line.isEmpty()) {
                    line.append(word);
                } else if (line.length() + 1 + word.length() <= columns) {
                    line.append(' ').append(word);
                } else {
                    lines.add(line.toString());
                    line.setLength(0);
                    line.append(word);
                }
            }
            if (!line.isEmpty()) {
                lines.add(line.toString());
            }
            return lines;
        }
    }

    private static int hsv(float hue, float saturation, float value) {
        float h = (hue - (float) Math.floor(hue)) * 6f;
        int sector = (int) h;
        float f = h - sector;
        float p = value * (1 - saturation);
        float q = value * (1 - saturation * f);
        float t = value * (1 - saturation * (1 - f));
        float r;
        float g;
        float b;
        switch (sector) {
            case 0 -> { r = value; g = t; b = p; }
            case 1 -> { r = q; g = value; b = p; }
            case 2 -> { r = p; g = value; b = t; }
            case 3 -> { r = p; g = q; b = value; }
            case 4 -> { r = t; g = p; b = value; }
            default -> { r = value; g = p; b = q; }
        }
        return Math.round(r * 255) << 16 | Math.round(g * 255) << 8 | Math.round(b * 255);
    }

    private static int hash(String text) {
        byte[] digest = Sha256.of(text);
        return (digest[0] & 0xff) << 24 | (digest[1] & 0xff) << 16 | (digest[2] & 0xff) << 8 | (digest[3] & 0xff);
    }
}
