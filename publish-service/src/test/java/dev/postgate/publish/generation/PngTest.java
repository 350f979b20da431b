package dev.postgate.publish.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

/** The PNG encoder's output decodes, pixel for pixel; the built-in provider's text layout fits its canvas. */
class PngTest {

    @Test
    void encodedPixelsDecodeUnchanged() throws IOException {
        Raster raster = new Raster(7, 5);
        raster.fill(0x102030);
        raster.set(0, 0, 0xFF0000);
        raster.set(6, 4, 0x00FF00);
        raster.fillRect(2, 1, 3, 2, 0x0000FF);
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(Png.encode(raster)));
        assertEquals(7, decoded.getWidth());
        assertEquals(5, decoded.getHeight());
        assertEquals(0xFF0000, decoded.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0x00FF00, decoded.getRGB(6, 4) & 0xFFFFFF);
        assertEquals(0x0000FF, decoded.getRGB(3, 2) & 0xFFFFFF);
        assertEquals(0x102030, decoded.getRGB(1, 4) & 0xFFFFFF);
    }

    @Test
    void anAnimationShowsItsFirstFrameToPlainReaders() throws IOException {
        Raster first = new Raster(4, 4);
        first.fill(0xABCDEF);
        Raster second = new Raster(4, 4);
        second.fill(0x123456);
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(Png.encodeAnimated(List.of(first, second), 1, 2)));
        assertEquals(0xABCDEF, decoded.getRGB(2, 2) & 0xFFFFFF);
    }

    @Test
    void textIsDrawnInCapitalsAndWrappedToFit() {
        assertEquals("CAFE ?", BitmapFont.drawable("café ☕"));
        BuiltInProvider.Layout layout = BuiltInProvider.Layout.of(BitmapFont.drawable("a fairly long prompt that must wrap"), 200, 120);
        assertTrue(layout.lines().size() > 1, layout::toString);
        int width = layout.lines().stream().mapToInt(String::length).max().orElseThrow() * layout.cellWidth();
        assertTrue(width <= 200 - 2 * layout.margin(), layout::toString);
        BuiltInProvider.Layout tiny = BuiltInProvider.Layout.of("X".repeat(2000), 64, 64);
        assertTrue(tiny.lines().get(tiny.lines().size() - 1).endsWith("..."), tiny::toString);
    }

    @Test
    void theSamePromptGivesTheSameImage() {
        GenerationProvider.Spec spec = new GenerationProvider.Spec(GenerationKind.IMAGE, "Same", "light", 96, 64);
        assertEquals(java.util.Arrays.toString(BuiltInProvider.image(spec)), java.util.Arrays.toString(BuiltInProvider.image(spec)));
    }
}
