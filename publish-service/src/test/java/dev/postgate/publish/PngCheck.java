package dev.postgate.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** Reads a PNG the long way: signature, every chunk's CRC, the header, and the inflated image data. */
final class PngCheck {
    static final byte[] SIGNATURE = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };

    record Chunk(String type, byte[] data) {
    }

    record Image(int width, int height, int bitDepth, int colourType, List<Chunk> chunks) {
        List<String> types() {
            return chunks.stream().map(Chunk::type).toList();
        }

        Chunk first(String type) {
            return chunks.stream().filter(c -> c.type().equals(type)).findFirst().orElseThrow();
        }
    }

    private PngCheck() {
    }

    /** Checks the signature and every CRC, and that the IDAT data inflates to exactly the size of the first frame. */
    static Image check(byte[] png) {
        assertArrayEquals(SIGNATURE, Arrays.copyOf(png, 8), "PNG signature");
        ByteBuffer in = ByteBuffer.wrap(png, 8, png.length - 8);
        List<Chunk> chunks = new ArrayList<>();
        while (in.hasRemaining()) {
            int length = in.getInt();
            byte[] type = new byte[4];
            in.get(type);
            byte[] data = new byte[length];
            in.get(data);
            long crc = in.getInt() & 0xFFFFFFFFL;
            CRC32 expected = new CRC32();
            expected.update(type);
            expected.update(data);
            String name = new String(type, StandardCharsets.US_ASCII);
            assertEquals(expected.getValue(), crc, "CRC of " + name);
            chunks.add(new Chunk(name, data));
        }
        assertEquals("IHDR", chunks.get(0).type());
        assertEquals("IEND", chunks.get(chunks.size() - 1).type());
        ByteBuffer header = ByteBuffer.wrap(chunks.get(0).data());
        Image image = new Image(header.getInt(), header.getInt(), header.get(), header.get(), chunks);
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        chunks.stream().filter(c -> c.type().equals("IDAT")).forEach(c -> idat.writeBytes(c.data()));
        assertEquals((long) image.height() * (1 + image.width() * 3), inflate(idat.toByteArray()), "inflated image data size");
        return image;
    }

    static long inflate(byte[] data) {
        Inflater inflater = new Inflater();
        inflater.setInput(data);
        byte[] buffer = new byte[65536];
        long total = 0;
        try {
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                assertTrue(n > 0 || !inflater.needsInput(), "truncated zlib stream");
                total += n;
            }
        } catch (DataFormatException e) {
            throw new AssertionError("not a zlib stream", e);
        } finally {
            inflater.end();
        }
        return total;
    }
}
