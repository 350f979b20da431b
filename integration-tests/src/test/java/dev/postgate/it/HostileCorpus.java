package dev.postgate.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hostile requests of {@code src/test/resources/hostile/requests.txt} (its opening comment
 * gives the format), parsed into blocks whose placeholders are filled in when they are sent.
 */
final class HostileCorpus {
    static final String RESOURCE = "/hostile/requests.txt";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Z][A-Z0-9_]*)\\}");
    private static final Pattern REPEAT = Pattern.compile("\\{REPEAT:(\\d+):([^}]*)\\}");
    private static final Pattern BYTE = Pattern.compile("\\\\x([0-9A-Fa-f]{2})");
    private static final byte[] CRLF = { '\r', '\n' };

    private HostileCorpus() {
    }

    /**
     * One request as written in the file: its name, whether a 2xx/3xx answer may be something other
     * than the envelope ({@code raw}: the API document, the dashboard page, a media file), its head
     * lines (request line first) and its body lines.
     */
    record Block(String name, boolean raw, int line, List<String> head, List<String> body) {
        String requestLine() {
            return head.get(0);
        }

        String method() {
            return requestLine().split(" ", 2)[0];
        }

        /** The request target as written (placeholders unfilled). */
        String target() {
            String[] parts = requestLine().split(" ");
            return parts.length > 1 ? parts[1] : "";
        }

        /**
         * The bytes to send: placeholders filled from {@code values} ({@code UNIQUE} is new on each
         * use), escapes decoded, a Host header and {@code Connection: close} added, and a
         * Content-Length for the body unless the block sets its own framing.
         */
        byte[] render(Map<String, Supplier<String>> values, String host) {
            List<byte[]> headLines = new ArrayList<>();
            boolean hasHost = false;
            boolean hasFraming = false;
            boolean hasConnection = false;
            for (String line : head) {
                String lower = line.toLowerCase(Locale.ROOT);
                hasHost |= lower.startsWith("host:");
                hasFraming |= lower.startsWith("content-length:") || lower.startsWith("transfer-encoding:");
                hasConnection |= lower.startsWith("connection:");
                headLines.add(decode(fill(line, values)));
            }
            byte[] bodyBytes = body.isEmpty() ? null : decode(fill(String.join("\r\n", body), values));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(headLines.get(0));
            out.writeBytes(CRLF);
            if (!hasHost) {
                out.writeBytes(("Host: " + host + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            for (byte[] line : headLines.subList(1, headLines.size())) {
                out.writeBytes(line);
                out.writeBytes(CRLF);
            }
            if (bodyBytes != null && !hasFraming) {
                out.writeBytes(("Content-Length: " + bodyBytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            if (!hasConnection) {
                out.writeBytes("Connection: close\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.writeBytes(CRLF);
            if (bodyBytes != null) {
                out.writeBytes(bodyBytes);
            }
            return out.toByteArray();
        }

        /** The placeholders this block uses. */
        List<String> placeholders() {
            List<String> names = new ArrayList<>();
            Matcher m = PLACEHOLDER.matcher(String.join("\n", head) + "\n" + String.join("\n", body));
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        }
    }

    static List<Block> load() throws IOException {
        try (InputStream in = HostileCorpus.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the test classpath");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static List<Block> parse(String text) {
        List<Block> blocks = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        int i = 0;
        while (i < lines.length && !lines[i].startsWith("### ")) {
            i++;
        }
        while (i < lines.length) {
            int start = i + 1;
            String title = lines[i].substring(4).trim();
            boolean raw = title.endsWith(" [raw]");
            String name = raw ? title.substring(0, title.length() - 6).trim() : title;
            List<String> head = new ArrayList<>();
            List<String> body = new ArrayList<>();
            i++;
            while (i < lines.length && !lines[i].startsWith("### ") && !lines[i].isEmpty()) {
                head.add(stripCr(lines[i]));
                i++;
            }
            if (i < lines.length && lines[i].isEmpty()) {
                i++;
                while (i < lines.length && !lines[i].startsWith("### ")) {
                    body.add(stripCr(lines[i]));
                    i++;
                }
                while (!body.isEmpty() && body.get(body.size() - 1).isEmpty()) {
                    body.remove(body.size() - 1);
                }
            }
            if (head.isEmpty()) {
                throw new IllegalArgumentException(RESOURCE + " line " + start + ": block '" + name + "' has no request line");
            }
            blocks.add(new Block(name, raw, start, List.copyOf(head), List.copyOf(body)));
        }
        return blocks;
    }

    private static String stripCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    static String fill(String text, Map<String, Supplier<String>> values) {
        Matcher repeat = REPEAT.matcher(text);
        StringBuilder expanded = new StringBuilder();
        while (repeat.find()) {
            repeat.appendReplacement(expanded, Matcher.quoteReplacement(repeat.group(2).repeat(Integer.parseInt(repeat.group(1)))));
        }
        repeat.appendTail(expanded);
        Matcher m = PLACEHOLDER.matcher(expanded);
        StringBuilder filled = new StringBuilder();
        while (m.find()) {
            Supplier<String> value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("unknown placeholder {" + m.group(1) + "} in " + text);
            }
            m.appendReplacement(filled, Matcher.quoteReplacement(value.get()));
        }
        m.appendTail(filled);
        return filled.toString();
    }

    /** UTF-8 bytes of the text, each {@code \xHH} (two hex digits) standing for that one byte. */
    static byte[] decode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Matcher m = BYTE.matcher(text);
        int from = 0;
        while (m.find()) {
            out.writeBytes(text.substring(from, m.start()).getBytes(StandardCharsets.UTF_8));
            out.write(Integer.parseInt(m.group(1), 16));
            from = m.end();
        }
        out.writeBytes(text.substring(from).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
