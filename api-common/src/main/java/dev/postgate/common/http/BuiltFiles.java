package dev.postgate.common.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Files the build puts on the classpath for a resource to serve as they are (pages, the API document). */
public final class BuiltFiles {
    private BuiltFiles() {
    }

    /** The bytes of {@code resource} (an absolute classpath path); a file missing from the build stops the start. */
    public static byte[] read(String resource) {
        try (InputStream in = BuiltFiles.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
