package dev.postgate.common.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for what HTTP clients will not do: send only the head of a
 * request and watch whether the server answers before the body arrives, stream a chunked body
 * that never ends, or send a path with dot segments unchanged.
 */
public final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    /** Connects to the base URI of a service ({@code http://host:port}); reads wait at most {@code timeoutMillis}. */
    public static RawHttp connect(String baseUri, int timeoutMillis) throws IOException {
        URI base = URI.create(baseUri);
        Socket socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(timeoutMillis);
        return new RawHttp(socket);
    }

    /** Sends a request line and headers (a Host header is added). */
    public RawHttp head(String method, String path, Map<String, String> headers) throws IOException {
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(socket.getInetAddress().getHostAddress()).append(':').append(socket.getPort()).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    public RawHttp write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** One chunk of a chunked body (an empty one ends the body). */
    public RawHttp chunk(byte[] bytes) throws IOException {
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    /**
     * Writes {@code total} bytes of {@code filler} from another thread, as chunks when {@code chunked}
     * (then the last, empty chunk), so that the server's early answer (and its closing of the connection) cannot make the test fail
     * on a write. Write errors after the server answered are expected and ignored.
     */
    public Thread writeInBackground(long total, byte filler, boolean chunked) {
        Thread writer = new Thread(() -> {
            byte[] piece = new byte[65536];
            java.util.Arrays.fill(piece, filler);
            try {
                for (long sent = 0; sent < total; sent += piece.length) {
                    byte[] next = sent + piece.length <= total ? piece : java.util.Arrays.copyOf(piece, (int) (total - sent));
                    if (chunked) {
                        chunk(next);
                    } else {
                        write(next);
                    }
                }
                if (chunked) {
                    chunk(new byte[0]);
                }
            } catch (IOException e) {
                // The server answered and closed the connection: expected.
            }
        }, "raw-http-body");
        writer.setDaemon(true);
        writer.start();
        return writer;
    }

    /**
     * The status line of the next answer, or null if none came within the read timeout. A
     * {@code 100 Continue} interim answer is returned like any other: callers check for it.
     */
    public String statusLine() throws IOException {
        try {
            while (true) {
                String text = received.toString(StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n");
                if (end >= 0) {
                    return text.substring(0, end);
                }
                if (!readMore()) {
                    return null;
                }
            }
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    /** Drops an interim {@code 100 Continue} answer already received (returns true if there was one). */
    public boolean skipContinue() throws IOException {
        String line = statusLine();
        if (line == null || !line.startsWith("HTTP/1.1 100")) {
            return false;
        }
        while (received.toString(StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n") < 0) {
            if (!readMore()) {
                return false;
            }
        }
        String text = received.toString(StandardCharsets.ISO_8859_1);
        byte[] rest = text.substring(text.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.ISO_8859_1);
        received.reset();
        received.write(rest, 0, rest.length);
        return true;
    }

    /** The next complete answer (it must have a Content-Length, as every Postgate answer does). */
    public Answer answer() throws IOException {
        int headEnd;
        Map<String, String> headers = new LinkedHashMap<>();
        int contentLength = -1;
        while ((headEnd = received.toString(StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n")) < 0) {
            if (!readMore()) {
                throw new IOException("connection closed before an answer: " + received.toString(StandardCharsets.ISO_8859_1));
            }
        }
        String head = received.toString(StandardCharsets.ISO_8859_1).substring(0, headEnd);
        String[] lines = head.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        if (headers.containsKey("content-length")) {
            contentLength = Integer.parseInt(headers.get("content-length"));
        }
        while (contentLength >= 0 && received.size() < headEnd + 4 + contentLength) {
            if (!readMore()) {
                break;
            }
        }
        byte[] all = received.toByteArray();
        int bodyEnd = contentLength >= 0 ? Math.min(all.length, headEnd + 4 + contentLength) : all.length;
        String body = new String(all, headEnd + 4, bodyEnd - headEnd - 4, StandardCharsets.UTF_8);
        received.reset();
        received.write(all, bodyEnd, all.length - bodyEnd);
        return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
    }

    /** True when the server closed the connection (end of stream) before the read timeout. */
    public boolean closedByServer() {
        try {
            while (readMore()) {
                // Drain whatever else was sent.
            }
            return true;
        } catch (IOException e) {
            return e instanceof java.net.SocketException;
        }
    }

    private boolean readMore() throws IOException {
        byte[] buffer = new byte[8192];
        int n = in.read(buffer);
        if (n < 0) {
            return false;
        }
        received.write(buffer, 0, n);
        return true;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** An answer: status, headers (lower-case names) and body text. */
    public record Answer(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }
}
