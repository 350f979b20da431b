package dev.postgate.publish.generation;

/** An RGB image in memory (8 bits per channel), with the few drawing operations the built-in provider needs. */
public final class Raster {
    private final int width;
    private final int height;
    private final byte[] rgb;

    public Raster(int width, int height) {
        this.width = width;
        this.height = height;
        this.rgb = new byte[width * height * 3];
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Row {@code y} as RGB bytes. */
    public void row(int y, byte[] into, int offset) {
        System.arraycopy(rgb, y * width * 3, into, offset, width * 3);
    }

    public void fill(int color) {
        fillRect(0, 0, width, height, color);
    }

    public void fillRect(int x0, int y0, int w, int h, int color) {
        int x1 = Math.min(width, x0 + w);
        int y1 = Math.min(height, y0 + h);
        for (int y = Math.max(0, y0); y < y1; y++) {
            for (int x = Math.max(0, x0); x < x1; x++) {
                set(x, y, color);
            }
        }
    }

    public void set(int x, int y, int color) {
        int i = (y * width + x) * 3;
        rgb[i] = (byte) (color >> 16);
        rgb[i + 1] = (byte) (color >> 8);
        rgb[i + 2] = (byte) color;
    }

    /** Draws one character of {@link BitmapFont} with its top-left corner at (x, y), each font pixel {@code scale}² pixels. */
    public void drawChar(char c, int x, int y, int scale, int color) {
        for (int gy = 0; gy < BitmapFont.HEIGHT; gy++) {
            for (int gx = 0; gx < BitmapFont.WIDTH; gx++) {
                if (BitmapFont.ink(c, gx, gy)) {
                    fillRect(x + gx * scale, y + gy * scale, scale, scale, color);
                }
            }
        }
    }
}
