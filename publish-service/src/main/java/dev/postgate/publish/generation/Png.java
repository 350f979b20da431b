package dev.postgate.publish.generation;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A PNG encoder on {@link java.util.zip} alone (no AWT, no ImageIO, fine in a native image):
 * 8-bit RGB, no interlace, filter type 0 on every row. Also writes animated PNGs (APNG:
 * {@code acTL}, {@code fcTL} and {@code fdAT} chunks), which any PNG reader shows as their first frame.
 */
public final class Png {
    private static final byte[] SIGNATURE = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };

    private Png() {
    }

    public static byte[] encode(Raster image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SIGNATURE);
        chunk(out, "IHDR", header(image.width(), image.height()));
        chunk(out, "IDAT", compress(image));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /** An animation that loops forever, each frame shown {@code delayNum/delayDen} seconds. */
    public static byte[] encodeAnimated(List<Raster> frames, int delayNum, int delayDen) {
        Raster first = frames.get(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SIGNATURE);
        chunk(out, "IHDR", header(first.width(), first.height()));
        chunk(out, "acTL", ByteBuffer.allocate(8).putInt(frames.size()).putInt(0).array());
        int sequence = 0;
        for (int i = 0; i < frames.size(); i++) {
            Raster frame = frames.get(i);
            chunk(out, "fcTL", ByteBuffer.allocate(26).putInt(sequence++).putInt(frame.width()).putInt(frame.height())
                    .putInt(0).putInt(0).putShort((short) delayNum).putShort((short) delayDen)
                    .put((byte) 0).put((byte) 0).array());
            byte[] data = compress(frame);
            if (i == 0) {
                chunk(out, "IDAT", data);
            } else {
                chunk(out, "fdAT", ByteBuffer.allocate(4 + data.length).putInt(sequence++).put(data).array());
            }
        }
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static byte[] header(int width, int height) {
        // width, height, bit depth 8, colour type 2 (RGB), compression 0, filter 0, interlace 0
        return ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0).array();
    }

    private static byte[] compress(Raster image) {
        int stride = image.width() * 3 + 1;
        byte[] raw = new byte[stride * image.height()];
        for (int y = 0; y < image.height(); y++) {
            raw[y * stride] = 0;
            image.row(y, raw, y * stride + 1);
        }
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
        try {
            deflater.setInput(raw);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 4 + 64);
            byte[] buffer = new byte[16384];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
