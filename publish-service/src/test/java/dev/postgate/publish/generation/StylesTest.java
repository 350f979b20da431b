package dev.postgate.publish.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.postgate.common.errors.ValidationException;
import dev.postgate.common.wire.WireNames;
import dev.postgate.publish.generation.GenerationViews.GenerateRequest;

/**
 * A generate request's styles are named once, by {@link GenerationKind}: every style a request may
 * ask for is rendered in its own way by the built-in provider, and a request without one gets the
 * kind's default.
 */
class StylesTest {
    private static final String PROMPT = "Our summer collection of handmade ceramics";

    @Test
    void everyCaptionStyleIsWrittenItsOwnWay() {
        List<String> styles = GenerationKind.CAPTION.styles();
        Set<String> captions = styles.stream().map(style -> BuiltInProvider.caption(PROMPT, style)).collect(Collectors.toSet());
        assertEquals(styles.size(), captions.size(), captions::toString);
    }

    @Test
    void everyImageAndVideoStyleHasItsOwnColours() {
        for (GenerationKind kind : List.of(GenerationKind.IMAGE, GenerationKind.VIDEO)) {
            List<String> styles = kind.styles();
            Set<BuiltInProvider.Palette> palettes = styles.stream().map(style -> BuiltInProvider.palette(PROMPT, style))
                    .collect(Collectors.toSet());
            assertEquals(styles.size(), palettes.size(), kind + ": " + palettes);
        }
    }

    @Test
    void aRequestWithoutStyleOrSizeGetsTheDocumentedDefaults() {
        // The defaults publish-service's README gives: friendly captions, light 512x512 images, light 320x240 videos.
        assertEquals(List.of("friendly", "0x0"), made(GenerationKind.CAPTION));
        assertEquals(List.of("light", "512x512"), made(GenerationKind.IMAGE));
        assertEquals(List.of("light", "320x240"), made(GenerationKind.VIDEO));
    }

    @Test
    void anUnknownStyleIs422NamingTheKindsStylesAsEveryOneOfRuleDoes() {
        ValidationException e = assertThrows(ValidationException.class,
                () -> GenerationFlow.spec(GenerationKind.CAPTION, new GenerateRequest(PROMPT, "gothic", null)));
        assertEquals(422, e.status());
        assertEquals("style is " + WireNames.alternatives(GenerationKind.CAPTION.styles()) + " for captions.", e.getMessage());
        assertTrue(e.getMessage().matches("style is ('[a-z]+', )*'[a-z]+' or '[a-z]+' for captions\\."), e.getMessage());
    }

    private static List<String> made(GenerationKind kind) {
        GenerationProvider.Spec spec = GenerationFlow.spec(kind, new GenerateRequest(PROMPT, null, null));
        return List.of(spec.style(), spec.width() + "x" + spec.height());
    }
}
