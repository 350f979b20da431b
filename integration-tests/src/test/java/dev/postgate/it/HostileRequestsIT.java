package dev.postgate.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.postgate.common.keys.KeyFormat;
import dev.postgate.common.keys.KeyMode;
import dev.postgate.common.testing.GitHubScanningPair;
import dev.postgate.common.testing.ServiceProcess;
import dev.postgate.common.testing.TestKeys;
import dev.postgate.common.testing.Tokens;
import dev.postgate.it.HostileCorpus.Block;
import dev.postgate.it.Wire.Answer;

/**
 * The edge as a hostile client meets it, through nginx (deploy/local/nginx.sh with the shared
 * routes.conf) in front of the three services on the real PostgreSQL and Kafka.
 * <ul>
 * <li>Issue 14, finding 14: a request target the services' HTTP server cannot decode, an over-long
 * request line and oversized headers answer 400 / 414 / 431 in the SPEC section 4 envelope, never
 * nginx's HTML page nor the HTTP server's bare answer.</li>
 * <li>The hostile corpus ({@code src/test/resources/hostile/requests.txt}): a few hundred requests
 * to every public path, each sent as written over a raw socket (HTTP clients would normalise or
 * refuse them), with real credentials filled in. Every answer comes within 10 s, is not a 5xx,
 * is the envelope (an error's, or for a success a data envelope unless the block is marked raw),
 * carries X-Request-Id, and echoes no secret.</li>
 * </ul>
 * The stack starts once for both.
 */
class HostileRequestsIT {
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern ERROR_CODE = Pattern.compile("[A-Z][A-Z0-9_]*");
    /** The id nginx makes for an answer of its own ({@code $request_id}, prefixed). */
    private static final String NGINX_REQUEST_ID = "req_[0-9a-f]{32}";
    private static final Pattern ANY_KEY = Pattern.compile("pp_(live|test)_sk_[0-9A-Za-z]{38}");
    /** What a leaked exception would look like in an answer. */
    private static final Pattern LEAK = Pattern.compile(
            "Exception|\\bat [a-z]+\\.[a-z]+\\.|java\\.|jakarta\\.|io\\.quarkus|io\\.vertx|org\\.hibernate|SQLState");
    /** Public paths of SPEC section 5 that the API document does not list (pages, and paths to come). */
    private static final List<String> PATHS_BEYOND_THE_DOCUMENT = List.of("/docs", "/api/v1/keys/{id}/propagation",
            "/api/v1/secret-scanning/github", "/api/v1/keys/report-leaked");

    static ProxiedStack stack;
    /** Placeholder values of the corpus; the secrets among them must never come back. */
    static final Map<String, Supplier<String>> VALUES = new LinkedHashMap<>();
    static final Set<String> SECRETS = new LinkedHashSet<>();

    @BeforeAll
    static void start() throws Exception {
        // GitHub's keys document reachable, as GitHub's is in production: a report with a junk signature is then a
        // verdict (401), where an unreadable document would make it 503 (SPEC section 4: a dependency is down).
        stack = ProxiedStack.named("hostile")
                .keysEnv("POSTGATE_SECRET_SCANNING_GITHUB_KEYS_URL",
                        GitHubScanningPair.in(Path.of("target", "github-scanning")).document().toString())
                // The corpus sends a few hundred requests with one key: well under a raised per-key limit.
                .workspacesEnv("POSTGATE_KEY_CLIENT_RATE_LIMIT_PER_MINUTE", "100000")
                .publishEnv("POSTGATE_KEY_CLIENT_RATE_LIMIT_PER_MINUTE", "100000")
                .start();
        mintCredentials();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** Real credentials and resources of one organisation (and a stranger's workspace) for the placeholders. */
    private static void mintCredentials() throws Exception {
        String org = TestKeys.newOrg();
        String otherOrg = TestKeys.newOrg();
        String jwt = Tokens.admin(org);
        Map<String, String> admin = Map.of("Authorization", "Bearer " + jwt);
        String ws = data(setup("POST", "/api/v1/workspaces", admin, "{\"name\":\"hostile\"}", 201)).path("id").asText();
        setup("POST", "/api/v1/workspaces/" + ws + "/credits/grants", admin, "{\"amount\":100000,\"reason\":\"hostile corpus\"}", 201);
        String account = data(setup("POST", "/api/v1/workspaces/" + ws + "/accounts", admin,
                "{\"platform\":\"x\",\"name\":\"hostile\"}", 201)).path("id").asText();
        String otherWs = data(setup("POST", "/api/v1/workspaces", Map.of("Authorization", "Bearer " + Tokens.admin(otherOrg)),
                "{\"name\":\"stranger\"}", 201)).path("id").asText();
        JsonNode full = data(setup("POST", "/api/v1/keys", admin, "{\"name\":\"hostile full\",\"preset\":\"full\"}", 201));
        String key = full.path("key").asText();
        String readKey = data(setup("POST", "/api/v1/keys", admin, "{\"name\":\"hostile read\",\"preset\":\"read_only\"}", 201))
                .path("key").asText();
        JsonNode revoked = data(setup("POST", "/api/v1/keys", admin, "{\"name\":\"hostile revoked\",\"scopes\":[\"posts:read\"]}", 201));
        setup("POST", "/api/v1/keys/" + revoked.path("id").asText() + "/revoke", admin, "{}", 200);
        List<String> victims = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            victims.add(data(setup("POST", "/api/v1/keys", admin, "{\"name\":\"hostile victim\",\"scopes\":[\"posts:read\"]}", 201))
                    .path("id").asText());
        }
        Map<String, String> api = Map.of("Authorization", "Bearer " + key, "X-Workspace-Id", ws);
        String post = data(setup("POST", "/api/v1/posts", api, "{\"content\":\"hostile\",\"account_ids\":[\"" + account + "\"]}", 201))
                .path("id").asText();
        JsonNode image = data(setup("POST", "/api/v1/images/generate", api, "{\"prompt\":\"a lighthouse\"}", 201));
        String caption = data(setup("POST", "/api/v1/content/generate", api, "{\"prompt\":\"a caption\"}", 201)).path("id").asText();
        String entry = data(setup("POST", "/api/v1/calendar", api, "{\"title\":\"hostile\",\"starts_at\":\"2030-01-01T10:00:00Z\"}", 201))
                .path("id").asText();

        String serviceJwt = Tokens.service("publish-service");
        String forged = KeyFormat.generate("pp", KeyMode.LIVE);
        Map<String, String> fixed = new LinkedHashMap<>();
        fixed.put("KEY", key);
        fixed.put("READ_KEY", readKey);
        fixed.put("REVOKED_KEY", revoked.path("key").asText());
        fixed.put("FORGED_KEY", forged);
        fixed.put("FORGED_TEST_KEY", KeyFormat.generate("pp", KeyMode.TEST));
        fixed.put("JWT", jwt);
        fixed.put("MEMBER_JWT", Tokens.member(org));
        fixed.put("OTHER_JWT", Tokens.admin(otherOrg));
        fixed.put("SERVICE_JWT", serviceJwt);
        fixed.put("KEY_ID", full.path("id").asText());
        fixed.put("VICTIM1", victims.get(0));
        fixed.put("VICTIM2", victims.get(1));
        fixed.put("VICTIM3", victims.get(2));
        fixed.put("WS", ws);
        fixed.put("OTHER_WS", otherWs);
        fixed.put("ACCOUNT", account);
        fixed.put("POST", post);
        fixed.put("MEDIA", image.path("media_id").asText());
        fixed.put("IMAGE", image.path("id").asText());
        fixed.put("CONTENT", caption);
        fixed.put("CAL", entry);
        fixed.forEach((name, value) -> VALUES.put(name, () -> value));
        VALUES.put("UNIQUE", () -> UUID.randomUUID().toString());
        SECRETS.addAll(List.of(key, readKey, revoked.path("key").asText(), forged, fixed.get("FORGED_TEST_KEY"), jwt,
                fixed.get("MEMBER_JWT"), fixed.get("OTHER_JWT"), serviceJwt));
    }

    private static Answer setup(String method, String path, Map<String, String> headers, String body, int expected) throws Exception {
        Answer answer = Wire.send(stack.proxy.baseUrl(), method, path, headers, body);
        assertEquals(expected, answer.status(), () -> "setup " + method + " " + path + ": " + answer.body());
        return answer;
    }

    private static JsonNode data(Answer answer) {
        return answer.json().path("data");
    }

    // ------------------------------------------------------------------ finding 14

    @Test
    void aRequestTargetTheServicesCannotDecodeIsAnEnvelopedBadRequest() throws Exception {
        // nginx refuses these paths while reading the request line, before the headers: its own request id answers.
        for (String target : List.of("/api/v1/posts/%zz", "/api/v1/posts/%00", "/api/v1/posts/%", "/nope%ZZ")) {
            RawAnswer answer = badRequest(target);
            assertTrue(answer.header("X-Request-Id").matches(NGINX_REQUEST_ID), target + " -> " + answer);
        }
        // These reach routes.conf's check, with the headers read: the caller's request id answers.
        for (String target : List.of("/api/v1/posts?cursor=%%%", "/api/v1/posts?cursor=%2", "/api/v1/posts?cursor=%zz",
                "/api/v1/keys?limit=1|2", "/api/v1/keys?x={y}", "/api/v1/whoami?a=[0]", "/api/v1/whoami#fragment",
                "/api/v1/posts?q=caf\\xc3\\xa9", "/api/v1/posts/a\\b", "/api/v1/posts/\"x\"")) {
            assertEquals("undecodable-1", badRequest(target).header("X-Request-Id"), target);
        }
        // Bad UTF-8 in an escape decodes: it is the services' to judge, in the envelope.
        RawAnswer badUtf8 = send("GET /api/v1/posts/%C0%AF HTTP/1.1", List.of("Authorization: Bearer {KEY}", "X-Workspace-Id: {WS}"));
        assertTrue(badUtf8.status() >= 400 && badUtf8.status() < 500, badUtf8.toString());
        errorEnvelope("/api/v1/posts/%C0%AF", badUtf8);
    }

    /**
     * Straight to each service, as a client inside the cluster or a proxy that passes such a target
     * on would send it: the HTTP server's own check is off (ServiceMain), HttpEdge's answers in the
     * envelope with the caller's request id.
     */
    @Test
    void aServiceReachedDirectlyAnswersAnUndecodableTargetInTheEnvelope() throws Exception {
        for (ServiceProcess service : List.of(stack.keys, stack.workspaces, stack.publish)) {
            for (String target : List.of("/api/v1/posts?cursor=%%%", "/api/v1/posts/%zz", "/api/v1/keys?limit=1|2", "/nope%ZZ")) {
                String what = service.name() + " " + target;
                RawAnswer answer = send(service.baseUrl(), "GET " + target + " HTTP/1.1", List.of("Authorization: Bearer {KEY}",
                        "X-Workspace-Id: {WS}", "X-Request-Id: direct-1"));
                assertEquals(400, answer.status(), what + " -> " + answer);
                assertEquals("VALIDATION_FAILED", errorEnvelope(what, answer).path("code").asText(), what + " -> " + answer);
                assertEquals("direct-1", answer.header("X-Request-Id"), what + " -> " + answer);
            }
            // and the service goes on answering on a new connection
            RawAnswer after = send(service.baseUrl(), "GET /q/health/ready HTTP/1.1", List.of());
            assertEquals(200, after.status(), service.name() + " after: " + after);
        }
    }

    private static RawAnswer badRequest(String target) throws IOException {
        RawAnswer answer = send("GET " + target + " HTTP/1.1", List.of("Authorization: Bearer {KEY}", "X-Workspace-Id: {WS}",
                "X-Request-Id: undecodable-1"));
        assertEquals(400, answer.status(), target + " -> " + answer);
        assertEquals("VALIDATION_FAILED", errorEnvelope(target, answer).path("code").asText(), target + " -> " + answer);
        return answer;
    }

    @Test
    void aRequestLineOverTheProxysLimitIsAnEnvelopedUriTooLong() throws Exception {
        RawAnswer answer = send("GET /api/v1/whoami?pad=" + "a".repeat(9000) + " HTTP/1.1",
                List.of("Authorization: Bearer {KEY}", "X-Request-Id: too-long-1"));
        assertEquals(414, answer.status(), answer.toString());
        assertEquals("URI_TOO_LONG", errorEnvelope("9 KB request line", answer).path("code").asText());
        // Refused before the headers were read.
        assertTrue(answer.header("X-Request-Id").matches(NGINX_REQUEST_ID), answer.toString());
    }

    /** Between the services' former 4 KB and the proxy's 8 KB, a request line reaches Postgate's code. */
    @Test
    void aRequestLineUnderTheProxysLimitIsServed() throws Exception {
        RawAnswer answer = send("GET /api/v1/whoami?pad=" + "a".repeat(6000) + " HTTP/1.1", List.of("Authorization: Bearer {KEY}"));
        assertEquals(200, answer.status(), answer.toString());
        envelope("6 KB request line", answer);
    }

    @Test
    void headersOverTheProxysLimitAreAnEnvelopedHeadersTooLarge() throws Exception {
        RawAnswer oneLong = send("GET /api/v1/whoami HTTP/1.1", List.of("Authorization: Bearer {KEY}", "X-Request-Id: big-header-1",
                "X-Padding: " + "b".repeat(9000)));
        assertEquals(431, oneLong.status(), oneLong.toString());
        assertEquals("HEADERS_TOO_LARGE", errorEnvelope("9 KB header", oneLong).path("code").asText());
        List<String> many = new ArrayList<>(List.of("Authorization: Bearer {KEY}"));
        for (int i = 0; i < 6; i++) {
            many.add("X-Padding-" + i + ": " + "c".repeat(7000));
        }
        RawAnswer allTogether = send("GET /api/v1/whoami HTTP/1.1", many);
        assertEquals(431, allTogether.status(), allTogether.toString());
        assertEquals("HEADERS_TOO_LARGE", errorEnvelope("42 KB of headers", allTogether).path("code").asText());
    }

    /** Headers the proxy passes on (here 24 KB, over the HTTP server's former 20 KB) reach Postgate's code. */
    @Test
    void headersUnderTheProxysLimitAreServed() throws Exception {
        List<String> headers = new ArrayList<>(List.of("Authorization: Bearer {KEY}"));
        for (int i = 0; i < 4; i++) {
            headers.add("X-Padding-" + i + ": " + "d".repeat(6000));
        }
        RawAnswer answer = send("GET /api/v1/whoami HTTP/1.1", headers);
        assertEquals(200, answer.status(), answer.toString());
        envelope("24 KB of headers", answer);
    }

    // ------------------------------------------------------------------ the hostile corpus

    @Test
    void everyRequestOfTheHostileCorpusIsAnsweredInTheEnvelopeWithoutASecret() throws Exception {
        List<Block> corpus = HostileCorpus.load();
        assertTrue(corpus.size() >= 200, "a few hundred requests: " + corpus.size());
        List<String> failures = new ArrayList<>();
        for (Block block : corpus) {
            String what = "line " + block.line() + " '" + block.name() + "' (" + abbreviate(block.requestLine()) + ")";
            RawAnswer answer;
            try {
                answer = send(block);
            } catch (IOException | RuntimeException e) {
                failures.add(what + ": no answer within " + ANSWER_WITHIN.toSeconds() + " s (" + e + ")");
                continue;
            }
            try {
                check(block, answer);
            } catch (AssertionError e) {
                failures.add(what + ": " + e.getMessage());
            }
        }
        assertTrue(failures.isEmpty(), () -> failures.size() + " of " + corpus.size() + " answers break the rules:\n"
                + String.join("\n", failures));
    }

    @Test
    void theCorpusReachesEveryPublicPath() throws Exception {
        JsonNode document = Wire.send(stack.proxy.baseUrl(), "GET", "/api/v1/openapi.json", Map.of(), null).json();
        Set<String> paths = new LinkedHashSet<>();
        document.path("paths").fieldNames().forEachRemaining(paths::add);
        paths.addAll(PATHS_BEYOND_THE_DOCUMENT);
        List<Block> corpus = HostileCorpus.load();
        List<String> missing = new ArrayList<>();
        for (String path : paths) {
            Pattern template = Pattern.compile(Pattern.quote(path).replaceAll("\\{[A-Za-z]+\\}", "\\\\E[^/?]+\\\\Q") + "([?].*)?");
            if (corpus.stream().noneMatch(block -> template.matcher(block.target()).matches())) {
                missing.add(path);
            }
        }
        assertTrue(missing.isEmpty(), "public paths no corpus request reaches: " + missing);
        for (Block block : corpus) {
            for (String name : block.placeholders()) {
                assertTrue(VALUES.containsKey(name), "line " + block.line() + ": unknown placeholder {" + name + "}");
            }
        }
    }

    private static void check(Block block, RawAnswer answer) {
        int status = answer.status();
        assertTrue(status < 500, "answered " + answer);
        String requestId = answer.header("X-Request-Id");
        assertNotNull(requestId, "no X-Request-Id: " + answer);
        for (String secret : SECRETS) {
            assertFalse(answer.text().contains(secret), "echoes a secret: " + answer);
        }
        if (status >= 400) {
            assertFalse(ANY_KEY.matcher(answer.text()).find(), "an error echoes a key: " + answer);
            // Kept by no cache, the proxy's own errors too (no-cache on the dashboard's script paths, which set it first).
            String cache = answer.header("Cache-Control");
            assertTrue("no-store".equals(cache) || "no-cache".equals(cache), "an error without Cache-Control no-store: " + answer);
        }
        if (block.method().equals("HEAD")) {
            return;
        }
        if (status >= 400) {
            errorEnvelope(block.name(), answer);
        } else if (block.raw()) {
            // The API document, a page or a file: its own format.
            return;
        } else {
            assertTrue(status >= 200 && status < 300, "neither a success nor an error: " + answer);
            JsonNode envelope = envelope(block.name(), answer);
            assertTrue(envelope.path("error").isNull(), "a success carries an error: " + answer);
        }
    }

    // ------------------------------------------------------------------ the envelope

    /** Asserts the SPEC section 4 envelope consistent with the status and X-Request-Id; returns it. */
    private static JsonNode envelope(String what, RawAnswer answer) {
        String contentType = answer.header("Content-Type");
        assertTrue(contentType != null && contentType.startsWith("application/json"), what + ": not JSON: " + answer);
        JsonNode envelope;
        try {
            envelope = Wire.JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new AssertionError(what + ": not JSON: " + answer, e);
        }
        assertTrue(envelope != null && envelope.isObject(), what + ": not an object: " + answer);
        Set<String> fields = new LinkedHashSet<>();
        envelope.fieldNames().forEachRemaining(fields::add);
        assertEquals(Set.of("data", "error", "meta"), fields, what + ": envelope fields of " + answer);
        String requestId = envelope.path("meta").path("request_id").asText(null);
        assertTrue(requestId != null && REQUEST_ID.matcher(requestId).matches(), what + ": meta.request_id of " + answer);
        assertEquals(answer.header("X-Request-Id"), requestId, what + ": X-Request-Id and meta.request_id differ: " + answer);
        try {
            Instant.parse(envelope.path("meta").path("timestamp").asText());
        } catch (RuntimeException e) {
            throw new AssertionError(what + ": meta.timestamp of " + answer, e);
        }
        return envelope;
    }

    /** Asserts an error envelope for the answer's status; returns {@code error}. */
    private static JsonNode errorEnvelope(String what, RawAnswer answer) {
        JsonNode envelope = envelope(what, answer);
        assertTrue(envelope.path("data").isNull(), what + ": an error carries data: " + answer);
        JsonNode error = envelope.path("error");
        assertTrue(error.isObject(), what + ": no error object: " + answer);
        assertEquals(answer.status(), error.path("status").asInt(), what + ": error.status of " + answer);
        assertTrue(ERROR_CODE.matcher(error.path("code").asText()).matches(), what + ": error.code of " + answer);
        String message = error.path("message").asText();
        assertFalse(message.isBlank(), what + ": error.message of " + answer);
        assertFalse(LEAK.matcher(message).find(), what + ": error.message leaks internals: " + answer);
        return error;
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "…(" + text.length() + " chars)";
    }

    /**
     * SPEC section 6: no request body is read before its credential has passed, through the proxy
     * too. An upload that declares megabytes and sends none of them, with a key that is not one, is
     * answered 401 at once. Found by review: the proxy buffered each request's whole body (up to
     * 64 MB, to temporary files) before passing it on, so it answered nothing until the body came
     * or its wait ran out, and the services' own limits never saw such a request.
     */
    @Test
    void anUploadIsAnsweredForItsCredentialBeforeItsBodyComes() throws Exception {
        RawAnswer answer = send("POST /api/v1/media HTTP/1.1", List.of("Authorization: Bearer pp_live_sk_not_a_key",
                "X-Workspace-Id: {WS}", "Content-Type: multipart/form-data; boundary=b", "Content-Length: 5000000"));
        assertEquals(401, answer.status(), answer::toString);
    }

    // ------------------------------------------------------------------ logs

    /**
     * SPEC section 2: a key is never logged. One a careless client put in the request line (the
     * secret pasted where a key's id goes, a query parameter, percent-encoded or not) is kept out
     * of the proxy's access log, which logged the request line as sent.
     */
    @Test
    void aKeyInTheRequestLineIsNotInTheProxysAccessLog() throws Exception {
        String key = VALUES.get("KEY").get();
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> targets = List.of("/api/v1/keys/" + key, "/api/v1/whoami?api_key=" + key, "/api/v1/posts?cursor=" + key,
                "/api/v1/posts/" + key.replace("_", "%5F"), "/api/v1/posts/" + key.replace("_", "%5f"));
        for (int i = 0; i < targets.size(); i++) {
            RawAnswer answer = send("GET " + targets.get(i) + " HTTP/1.1", List.of("Authorization: Bearer {KEY}", "X-Workspace-Id: {WS}",
                    "X-Request-Id: pasted-" + run + "-" + i));
            assertTrue(answer.status() < 500, "target " + i + " -> " + answer.status());
        }
        Path log = stack.proxy.accessLog();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String text = java.nio.file.Files.readString(log);
            for (int i = 0; i < targets.size(); i++) {
                assertTrue(text.contains("rid=pasted-" + run + "-" + i + " "), "the access log has request " + i);
            }
        });
        String random = key.substring(key.length() - 38, key.length() - 6);
        for (String line : java.nio.file.Files.readAllLines(log)) {
            assertFalse(line.contains(random), () -> "the access log holds a key: " + line.replace(random, "{random part}"));
        }
    }

    // ------------------------------------------------------------------ the wire

    private static RawAnswer send(String requestLine, List<String> headers) throws IOException {
        return send(stack.proxy.baseUrl(), requestLine, headers);
    }

    private static RawAnswer send(String baseUrl, String requestLine, List<String> headers) throws IOException {
        List<String> head = new ArrayList<>();
        head.add(requestLine);
        head.addAll(headers);
        return send(baseUrl, new Block("finding 14", false, 0, head, List.of()));
    }

    private static RawAnswer send(Block block) throws IOException {
        return send(stack.proxy.baseUrl(), block);
    }

    /**
     * Sends the block over a new connection (the body written from another thread, so that an
     * answer given before the body is read cannot be lost to a failed write) and reads the final
     * answer, skipping interim 1xx ones, within {@link #ANSWER_WITHIN}.
     */
    private static RawAnswer send(String baseUrl, Block block) throws IOException {
        URIish base = URIish.of(baseUrl);
        byte[] request = block.render(VALUES, base.host + ":" + base.port);
        long deadline = System.nanoTime() + ANSWER_WITHIN.toNanos();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.host, base.port), (int) ANSWER_WITHIN.toMillis());
            OutputStream out = socket.getOutputStream();
            Thread writer = new Thread(() -> {
                try {
                    out.write(request);
                    out.flush();
                } catch (IOException e) {
                    // The proxy answered and closed the connection before taking everything: expected.
                }
            }, "hostile-request");
            writer.setDaemon(true);
            writer.start();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[16384];
            while (true) {
                RawAnswer answer = RawAnswer.parse(received.toByteArray(), false);
                if (answer != null) {
                    return answer;
                }
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new SocketTimeoutException("no complete answer within " + ANSWER_WITHIN.toSeconds() + " s: "
                            + received.toString(StandardCharsets.ISO_8859_1));
                }
                socket.setSoTimeout((int) left);
                int n;
                try {
                    n = in.read(buffer);
                } catch (java.net.SocketException e) {
                    n = -1;
                }
                if (n < 0) {
                    RawAnswer last = RawAnswer.parse(received.toByteArray(), true);
                    if (last == null) {
                        throw new IOException("connection closed without an answer: " + received.toString(StandardCharsets.ISO_8859_1));
                    }
                    return last;
                }
                received.write(buffer, 0, n);
            }
        }
    }

    private record URIish(String host, int port) {
        static URIish of(String baseUrl) {
            java.net.URI uri = java.net.URI.create(baseUrl);
            return new URIish(uri.getHost(), uri.getPort());
        }
    }

    /** A final HTTP/1.x answer read off the wire: status, headers (names as sent) and body text. */
    record RawAnswer(int status, Map<String, String> headers, String body, String text) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + abbreviate(body);
        }

        /**
         * The final answer in {@code bytes}, or null while it is incomplete (framed by Content-Length,
         * chunked, or, once {@code closed}, by the end of the connection).
         */
        static RawAnswer parse(byte[] bytes, boolean closed) {
            int offset = 0;
            while (true) {
                int headEnd = indexOf(bytes, offset);
                if (headEnd < 0) {
                    return null;
                }
                String head = new String(bytes, offset, headEnd - offset, StandardCharsets.ISO_8859_1);
                String[] lines = head.split("\r\n");
                String[] statusLine = lines[0].split(" ", 3);
                if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
                    throw new IllegalStateException("not an HTTP/1.x answer: " + abbreviate(head));
                }
                int status = Integer.parseInt(statusLine[1]);
                Map<String, String> headers = new LinkedHashMap<>();
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    if (colon > 0) {
                        headers.putIfAbsent(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
                    }
                }
                int bodyStart = headEnd + 4;
                if (status >= 100 && status < 200) {
                    offset = bodyStart;
                    continue;
                }
                String text = new String(bytes, offset, bodyStart - offset, StandardCharsets.ISO_8859_1);
                String length = headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Content-Length"))
                        .map(Map.Entry::getValue).findFirst().orElse(null);
                String encoding = headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Transfer-Encoding"))
                        .map(Map.Entry::getValue).findFirst().orElse("");
                byte[] body;
                if (encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
                    body = dechunk(bytes, bodyStart);
                    if (body == null) {
                        return null;
                    }
                } else if (length != null) {
                    int n = Integer.parseInt(length.trim());
                    if (bytes.length - bodyStart < n) {
                        return null;
                    }
                    body = java.util.Arrays.copyOfRange(bytes, bodyStart, bodyStart + n);
                } else if (closed || status == 204 || status == 304) {
                    body = java.util.Arrays.copyOfRange(bytes, bodyStart, bytes.length);
                } else {
                    return null;
                }
                String bodyText = new String(body, StandardCharsets.UTF_8);
                return new RawAnswer(status, headers, bodyText, text + bodyText);
            }
        }

        private static int indexOf(byte[] bytes, int from) {
            for (int i = from; i + 3 < bytes.length; i++) {
                if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        /** The body of a complete chunked encoding starting at {@code start}, or null while incomplete. */
        private static byte[] dechunk(byte[] bytes, int start) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int at = start;
            while (true) {
                int lineEnd = -1;
                for (int i = at; i + 1 < bytes.length; i++) {
                    if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                        lineEnd = i;
                        break;
                    }
                }
                if (lineEnd < 0) {
                    return null;
                }
                String sizeText = new String(bytes, at, lineEnd - at, StandardCharsets.ISO_8859_1).split(";")[0].trim();
                int size = Integer.parseInt(sizeText, 16);
                int dataStart = lineEnd + 2;
                if (size == 0) {
                    return body.toByteArray();
                }
                if (bytes.length < dataStart + size + 2) {
                    return null;
                }
                body.write(bytes, dataStart, size);
                at = dataStart + size + 2;
            }
        }
    }
}
