package dev.postgate.common.testing;

import static dev.postgate.common.testing.EnvelopeChecks.envelope;
import static dev.postgate.common.testing.EnvelopeChecks.error;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.inject.spi.ObserverMethod;

import org.junit.jupiter.api.Test;

import dev.postgate.common.api.Cursor;
import dev.postgate.common.api.Ids;
import dev.postgate.common.auth.KeyGateCheck;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.StartupEvent;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The HTTP contract every service must keep: SPEC section 4's envelope on every JSON answer, the
 * error mapping of malformed requests (400, 404, 405, 413, 415, never 500) and X-Request-Id, and
 * (inherited from {@link BodyContractTest}) section 6's body handling. Each service subclasses it
 * once as a {@code @QuarkusTest} and names its own paths and caller.
 */
public abstract class ServiceContractTest extends BodyContractTest {
    private static final String GENERATED_REQUEST_ID = "req_[0-9A-Za-z]+";

    /** A GET path of this service that answers 200 to {@link #validHeaders()}. */
    protected abstract String knownPath();

    /** The full {@code Authorization} header value of {@link #validHeaders()}. */
    protected String validAuthorization() {
        return validHeaders().get("Authorization");
    }

    protected RequestSpecification authorized() {
        return given().headers(validHeaders());
    }

    @Test
    public void successIsAnEnvelopeWithRequestIdAndTimestamp() {
        Response response = authorized().get(knownPath());
        assertEquals(200, response.statusCode(), response.asString());
        Map<String, Object> body = envelope(response);
        assertTrue(response.header("X-Request-Id").matches(GENERATED_REQUEST_ID), response.header("X-Request-Id"));
        assertTrue(body.containsKey("data"));
    }

    @Test
    public void createAnswersTheEnvelopeWith2xx() {
        Response response = authorized().contentType(ContentType.JSON).body(validJsonBody()).post(jsonPostPath());
        assertTrue(response.statusCode() == 200 || response.statusCode() == 201 || response.statusCode() == 202,
                response.asString());
        envelope(response);
    }

    /**
     * A body typed as a JSON subtype ({@code application/merge-patch+json}, a vendor's {@code +json})
     * is JSON (RFC 6839): read like {@code application/json}, not refused with 415 (SPEC section 4:
     * 415 is for a body that is not JSON where JSON is required).
     */
    @Test
    public void aBodyOfAJsonSubtypeIsReadAsJson() {
        for (String type : List.of("application/merge-patch+json", "application/vnd.postgate+json; charset=utf-8")) {
            Response response = authorized().contentType(type).body(validJsonBody().getBytes(StandardCharsets.UTF_8)).post(jsonPostPath());
            assertTrue(response.statusCode() == 200 || response.statusCode() == 201 || response.statusCode() == 202,
                    () -> type + ": " + response.asString());
            envelope(response);
        }
        error(authorized().contentType("application/x-jsonish").body(validJsonBody().getBytes(StandardCharsets.UTF_8)).post(jsonPostPath()), 415,
                "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    public void malformedJsonIsValidationFailed400() {
        Response response = authorized().contentType(ContentType.JSON).body("{\"name\": ").post(jsonPostPath());
        error(response, 400, "VALIDATION_FAILED");
    }

    @Test
    public void jsonThatIsNotAnObjectIsRefusedWithoutA500() {
        for (String body : List.of("[]", "\"text\"", "42", "true", "[{\"name\": 1}]")) {
            Response response = authorized().contentType(ContentType.JSON).body(body).post(jsonPostPath());
            int status = response.statusCode();
            assertTrue(status == 400 || status == 422, () -> body + " -> " + status + " " + response.asString());
            error(response, status, "VALIDATION_FAILED");
        }
    }

    /**
     * SPEC section 2: a key is never in a metric. A key sent in a path (where an id belongs, or
     * anywhere), answered by the edge or the REST layer with any status, leaves no trace of itself
     * in {@code /q/metrics} (the HTTP server metrics tag requests by their path).
     */
    @Test
    public void aKeyInAPathNeverReachesTheMetrics() {
        String key = "pp_live_sk_" + "Zq8VfK3mW1xR7tN2bY5cH9jL4pD6sG0aUe" + "7Tx";
        for (String path : List.of("/api/v1/keys/" + key, "/api/v1/posts/" + key, "/api/v1/" + key, "/" + key,
                "/api/v1/workspaces/" + key + "/accounts", "/api/v1/keys/" + key.replace("_", "%5F"))) {
            given().get(path);
            given().options(path);
            given().delete(path);
            authorized().put(path);
            authorized().get(path);
        }
        String metrics = given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(!metrics.contains("Zq8VfK3mW1xR7tN2bY5cH9jL4pD6sG0aUe"), () -> "a key reached the metrics: " + metrics.lines()
                .filter(line -> line.contains("Zq8VfK3mW1xR7tN2bY5cH9jL4pD6sG0aUe")).limit(5).toList());
    }

    /**
     * SPEC section 2: a key is never echoed in an error. Found by review: a 404 quoted the path as
     * sent, so a key with its underscores or letters percent-encoded was quoted whole (the
     * redaction reads the decoded form).
     */
    @Test
    public void aKeyInAPathIsNeverEchoed() {
        String secret = "Zq8VfK3mW1xR7tN2bY5cH9jL4pD6sG0aUe";
        String key = "pp_live_sk_" + secret + "7Tx";
        for (String path : List.of("/api/v1/" + key.replace("_", "%5F"), "/api/v1/x/" + key.replace("_", "%5f"),
                "/api/v1/x/pp_live_sk_%5A" + key.substring(12), "/" + key.replace("Z", "%5A"), "/api/v1/keys/" + key + "%00")) {
            for (Response response : List.of(given().urlEncodingEnabled(false).get(path),
                    authorized().urlEncodingEnabled(false).get(path), authorized().urlEncodingEnabled(false).delete(path))) {
                String body = response.asString();
                assertTrue(response.statusCode() >= 400 && response.statusCode() < 500, path + ": " + body);
                assertTrue(!body.contains(secret.substring(2)) && !body.contains(secret.substring(2).replace("Z", "%5A")),
                        () -> path + " was echoed: " + body);
            }
        }
    }

    /**
     * A key pasted into a request's target (where a key's id goes, an {@code ?api_key=} parameter,
     * any of its characters percent-encoded) is refused before anything reads the request, with or
     * without a credential: 400 saying where a key belongs and that this one should be rolled
     * (a URL is logged on its way: by a proxy, in a browser's history). Something that only starts
     * like a key is not a key and goes on as any other value does. A target that also cannot be
     * decoded is answered for its key, so that its client is told to roll it.
     */
    @Test
    public void aKeyInTheTargetIsRefused() throws IOException {
        String secret = "Zq8VfK3mW1xR7tN2bY5cH9jL4pD6sG0aUe";
        String key = "pp_live_sk_" + secret + "7Tx";
        for (String target : List.of("/api/v1/keys/" + key, knownPath() + "?api_key=" + key, "/api/v1/nope/" + key,
                knownPath() + "?api_key=" + key.replace("_", "%5F"), "/api/v1/posts/" + key.replace("Z", "%5a"),
                "/q/health?k=acme_test_sk_" + secret + "7Tx")) {
            for (Response response : List.of(given().urlEncodingEnabled(false).get(target), authorized().urlEncodingEnabled(false).get(target),
                    authorized().urlEncodingEnabled(false).contentType(ContentType.JSON).body("{}").post(target))) {
                Map<String, Object> error = error(response, 400, "VALIDATION_FAILED");
                assertTrue(String.valueOf(error.get("message")).startsWith("The request's path or query holds an API key."), target
                        + ": " + response.asString());
                assertTrue(!response.asString().contains(secret.substring(2)), () -> target + " was echoed: " + response.asString());
            }
        }
        try (RawHttp http = RawHttp.connect(baseUri(), 10_000)) {
            RawHttp.Answer undecodable = http.head("GET", "/api/v1/posts/%zz/" + key, validHeaders()).answer();
            assertEquals(400, undecodable.status(), undecodable.body());
            assertTrue(undecodable.body().contains("holds an API key") && !undecodable.body().contains(secret.substring(2)),
                    undecodable.body());
        }
        // A key cut short (its random part not whole) is a value like any other: the known path still answers it.
        authorized().urlEncodingEnabled(false).get(knownPath() + (knownPath().contains("?") ? "&" : "?") + "x=" + key.substring(0, 30))
                .then().statusCode(200);
    }

    /**
     * Found by review: the services spoke HTTP/2 in clear text to whoever reached their port. The
     * edge reads a body by its HTTP/1.1 framing (a length or chunks), so an HTTP/2 body sent
     * without a length skipped the body rules: its text was not checked, and an Idempotency-Key
     * reused with another body was answered the first body's stored 201. The proxy in front speaks
     * HTTP/1.1; the services now speak nothing else. An HTTP/2 connection preface gets no HTTP/2
     * answer (a SETTINGS frame).
     */
    @Test
    public void aServiceDoesNotSpeakHttp2() throws Exception {
        URI base = URI.create(baseUri());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[] { 0, 0, 0, 4, 0, 0, 0, 0, 0 }); // an empty SETTINGS frame
            out.flush();
            byte[] first = new byte[9];
            int read = 0;
            try {
                InputStream in = socket.getInputStream();
                for (int n; read < first.length && (n = in.read(first, read, first.length - read)) > 0;) {
                    read += n;
                }
            } catch (java.net.SocketException e) {
                // The connection was closed on us: no HTTP/2.
            }
            boolean settingsFrame = read >= 4 && first[3] == 4;
            assertTrue(!settingsFrame, () -> "answered as HTTP/2: " + java.util.Arrays.toString(first));
        }
    }

    /**
     * Every answer is its caller's alone: kept by no cache, shared or private (a proxy between a
     * client and Postgate must not keep one caller's answer for another: a key sent as
     * {@code x-api-key} is not {@code Authorization}, which alone keeps answers out of shared caches),
     * errors included; an endpoint that may be kept says so itself.
     */
    @Test
    public void everyAnswerIsKeptByNoCache() {
        for (Response response : List.of(authorized().get(knownPath()), given().get(knownPath()), authorized().get("/api/v1/nope"),
                authorized().head(knownPath()), authorized().options(knownPath()), authorized().accept("text/html").get(knownPath()))) {
            assertEquals("no-store", response.header("Cache-Control"), response.statusCode() + " " + response.asString());
        }
    }

    @Test
    public void unknownApiPathIsNotFoundInTheEnvelope() {
        error(given().get("/api/v1/nope"), 404, "NOT_FOUND");
        error(authorized().get("/api/v1/nope"), 404, "NOT_FOUND");
        error(authorized().contentType(ContentType.JSON).body("{}").post("/api/v1/nope/deeper"), 404, "NOT_FOUND");
    }

    /**
     * SPEC section 4's order: 401 comes before 415 and 406. The REST layer decides a body type or an
     * Accept it cannot serve while routing, before the credential is read; found by review.
     */
    @Test
    public void aWronglyTypedRequestIsAnsweredForItsCredentialFirst() {
        error(given().contentType("text/plain").body("name").post(jsonPostPath()), 401, "UNAUTHORIZED");
        error(given().accept("text/html").get(knownPath()), 401, "UNAUTHORIZED");
        Response text = authorized().contentType("text/plain").body("name").post(jsonPostPath());
        error(text, 415, "UNSUPPORTED_MEDIA_TYPE");
        assertTrue(text.path("error.message").toString().contains("text/plain"), text.asString());
        error(authorized().accept("text/html").get(knownPath()), 406, "NOT_ACCEPTABLE");
        // An Accept that takes JSON among others is served.
        assertEquals(200, authorized().accept("text/html, application/json;q=0.5").get(knownPath()).statusCode());
        // Found by review: a type that cannot be read at all was refused while routing, before the credential.
        for (String garbage : List.of("garbage", "/", "application/")) {
            error(given().header("Content-Type", garbage).body("{}".getBytes(StandardCharsets.UTF_8)).post(jsonPostPath()), 401, "UNAUTHORIZED");
            error(given().header("Accept", garbage).get(knownPath()), 401, "UNAUTHORIZED");
            error(authorized().header("Content-Type", garbage).body("{}".getBytes(StandardCharsets.UTF_8)).post(jsonPostPath()), 415, "UNSUPPORTED_MEDIA_TYPE");
            error(authorized().header("Accept", garbage).get(knownPath()), 406, "NOT_ACCEPTABLE");
        }
        // Found rereading the change: an unreadable Accept that names JSON was a 500, before the credential.
        for (String jsonish : List.of("json", "application/json;q=x", "garbage, application/json")) {
            error(given().header("Accept", jsonish).get(knownPath()), 401, "UNAUTHORIZED");
        }
        error(authorized().header("Accept", "json").get(knownPath()), 406, "NOT_ACCEPTABLE");
        assertEquals(200, authorized().header("Accept", "garbage, application/json").get(knownPath()).statusCode());
        // Found by review: a type that names JSON but is not application/json was refused while routing, before the credential.
        for (String jsonish : List.of("application/vnd.api+json", "text/json", "application/problem+json", "application/json;q=0")) {
            error(given().header("Accept", jsonish).get(knownPath()), 401, "UNAUTHORIZED");
            error(authorized().header("Accept", jsonish).get(knownPath()), 406, "NOT_ACCEPTABLE");
        }
        for (String takesJson : List.of("application/*", "APPLICATION/JSON; charset=utf-8", "text/json, application/json;q=0.1")) {
            assertEquals(200, authorized().header("Accept", takesJson).get(knownPath()).statusCode(), takesJson);
        }
    }

    /**
     * Found by review: an id with a NUL in it reached the database, which refused it, and the answer
     * was a 500. It names nothing: 404, after the credential (SPEC section 4's order).
     */
    @Test
    public void anIdWithANulInItIsNotFound() {
        for (String id : List.of("%00", "x%00y", "%00%00")) {
            error(authorized().urlEncodingEnabled(false).get(knownPath() + "/" + id), 404, "NOT_FOUND");
            error(given().urlEncodingEnabled(false).get(knownPath() + "/" + id), 401, "UNAUTHORIZED");
        }
    }

    @Test
    public void unknownPathOutsideTheApiIsNotFoundInTheEnvelope() {
        error(given().get("/nope"), 404, "NOT_FOUND");
        error(given().get("/internal/v1/nope"), 404, "NOT_FOUND");
    }

    /** The {@code Allow} value of {@link #knownPath()} and {@link #jsonPostPath()}: each is a list and a create. */
    protected String knownPathAllows() {
        return "GET, HEAD, POST";
    }

    @Test
    public void wrongMethodOnAKnownPathIsMethodNotAllowed() {
        allows(authorized().contentType(ContentType.JSON).body("{}").put(knownPath()));
        allows(authorized().contentType(ContentType.JSON).body("{}").put(jsonPostPath()));
        // No path serves OPTIONS (no CORS): not the REST layer's empty 200.
        allows(authorized().options(knownPath()));
        allows(authorized().options(knownPath() + "/"));
        // SPEC section 4: 405 is a wrong method on a known path; where nothing is, OPTIONS is a 404 like any method.
        Response unknown = given().options("/api/v1/nope");
        error(unknown, 404, "NOT_FOUND");
        assertNull(unknown.header("Allow"));
    }

    /**
     * Every service runs the start-up check that refuses endpoints taking API keys without key-client
     * (its rule is KeyGateCheckTest's): removing the observer would leave a 500 at the first request.
     */
    @Test
    public void theKeyGateIsCheckedAtStart() {
        Set<Class<?>> observers = Arc.container().beanManager().resolveObserverMethods(new StartupEvent()).stream()
                .map(ObserverMethod::getBeanClass).collect(Collectors.toSet());
        assertTrue(observers.contains(KeyGateCheck.class), observers::toString);
    }

    /** The management paths are read with GET and HEAD; their handlers would answer any other method as a GET. */
    @Test
    public void managementPathsTakeGetAndHeadOnly() {
        for (String method : List.of("PUT", "POST", "DELETE", "OPTIONS")) {
            Response response = given().request(method, "/q/health");
            error(response, 405, "METHOD_NOT_ALLOWED");
            assertEquals("GET, HEAD", response.header("Allow"), () -> method + " " + response.asString());
        }
        // Not all of /q: dev mode's tools there take POST. Where nothing is, it is a 404.
        error(given().contentType(ContentType.JSON).body("{}").post("/q/nope"), 404, "NOT_FOUND");
    }

    /** RFC 9110: a 405 names the methods the path takes, in the Allow header and here in the message too. */
    private void allows(Response response) {
        Map<String, Object> error = error(response, 405, "METHOD_NOT_ALLOWED");
        assertEquals(knownPathAllows(), response.header("Allow"), response::asString);
        assertTrue(String.valueOf(error.get("message")).endsWith("; it accepts " + knownPathAllows() + "."), response::asString);
    }

    @Test
    public void bodyThatIsNotJsonIsUnsupportedMediaType() {
        Response text = authorized().contentType(ContentType.TEXT).body(validJsonBody()).post(jsonPostPath());
        error(text, 415, "UNSUPPORTED_MEDIA_TYPE");
        Response form = authorized().contentType(ContentType.URLENC).formParam("name", "x").post(jsonPostPath());
        error(form, 415, "UNSUPPORTED_MEDIA_TYPE");
        Response xml = authorized().contentType(ContentType.XML).body("<name>x</name>").post(jsonPostPath());
        error(xml, 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    /**
     * The limit is enforced on the declared Content-Length, before the body is read. The body is
     * written from another thread while this one reads the answer, as curl does, so the server's
     * early answer (and its closing of the connection) cannot make the test fail on a write.
     */
    @Test
    public void bodyOverTheLimitIsPayloadTooLarge() throws Exception {
        String answer = postDeclaring(validHeaders(), 2 * maxBodyBytes(), "too-large-1");
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        String lower = answer.toLowerCase();
        assertTrue(lower.contains("\r\nx-request-id: too-large-1\r\n"), answer);
        assertTrue(lower.contains("content-type: application/json"), answer);
        String json = answer.substring(answer.indexOf("\r\n\r\n") + 4);
        assertTrue(json.contains("\"data\":null"), json);
        assertTrue(json.contains("\"code\":\"PAYLOAD_TOO_LARGE\""), json);
        assertTrue(json.contains("\"status\":413"), json);
        assertTrue(json.contains("\"request_id\":\"too-large-1\""), json);
    }

    /**
     * Found by review: a Content-Length over the path's limit was 413 before the credential was
     * looked at (SPEC section 4: 401 comes first, 413 after the key's checks). Still unread: a
     * declared length far past every limit is answered without waiting for its body.
     */
    @Test
    public void aBodyDeclaredOverTheLimitIsAnsweredForItsCredentialFirst() throws Exception {
        for (long declared : List.of(2 * maxBodyBytes(), 1L << 40)) {
            String missing = postDeclaring(Map.of(), declared, "too-large-2");
            assertTrue(missing.startsWith("HTTP/1.1 401"), missing);
            assertTrue(missing.contains("\"reason\":\"missing\""), missing);
            Map<String, String> badKey = new java.util.HashMap<>(validHeaders());
            badKey.put("Authorization", validAuthorization() + "x");
            String bad = postDeclaring(badKey, declared, "too-large-3");
            assertTrue(bad.startsWith("HTTP/1.1 401"), bad);
            String refused = postDeclaring(validHeaders(), declared, "too-large-4");
            assertTrue(refused.startsWith("HTTP/1.1 413"), refused);
            assertTrue(refused.contains("\"code\":\"PAYLOAD_TOO_LARGE\""), refused);
        }
    }

    /**
     * POSTs a JSON body declaring {@code declared} bytes, with {@code headers}, to {@link #jsonPostPath()} over a raw
     * socket and returns the answer. At most 2 MiB more than the limit is sent, from another
     * thread, while this one reads the answer.
     */
    private String postDeclaring(Map<String, String> headers, long declared, String requestId) throws IOException {
        int length = (int) Math.min(declared, maxBodyBytes() + (2 << 20));
        byte[] body = new byte[length];
        java.util.Arrays.fill(body, (byte) ' ');
        body[0] = '{';
        URI base = URI.create(baseUri());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(60_000);
            String head = "POST " + jsonPostPath() + " HTTP/1.1\r\n"
                    + "Host: " + base.getHost() + ":" + base.getPort() + "\r\n"
                    + headers.entrySet().stream().map(h -> h.getKey() + ": " + h.getValue() + "\r\n").collect(Collectors.joining())
                    + "Content-Type: application/json\r\n"
                    + "Content-Length: " + declared + "\r\n"
                    + "X-Request-Id: " + requestId + "\r\n"
                    + "\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread writer = new Thread(() -> {
                try {
                    for (int offset = 0; offset < length; offset += 65536) {
                        out.write(body, offset, Math.min(65536, length - offset));
                    }
                    out.flush();
                } catch (IOException e) {
                    // The server answered and closed the connection before reading the body: expected.
                }
            }, "too-large-body");
            writer.setDaemon(true);
            writer.start();
            return readAnswer(socket.getInputStream());
        }
    }

    /** Reads one HTTP/1.1 answer with a Content-Length (the 413 has one). */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        int headEnd = -1;
        int contentLength = -1;
        byte[] buffer = new byte[8192];
        while (true) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            received.write(buffer, 0, n);
            String text = received.toString(StandardCharsets.ISO_8859_1);
            if (headEnd < 0 && (headEnd = text.indexOf("\r\n\r\n")) >= 0) {
                for (String line : text.substring(0, headEnd).split("\r\n")) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        contentLength = Integer.parseInt(line.substring(15).trim());
                    }
                }
            }
            if (headEnd >= 0 && contentLength >= 0 && received.size() >= headEnd + 4 + contentLength) {
                break;
            }
        }
        return received.toString(StandardCharsets.UTF_8);
    }

    @Test
    public void bodyJustUnderTheLimitIsRead() {
        StringBuilder padding = new StringBuilder();
        while (padding.length() < maxBodyBytes() - 4096) {
            padding.append("          ");
        }
        String body = validJsonBody().replaceFirst("\\{", "{" + padding);
        Response response = authorized().contentType(ContentType.JSON).body(body).post(jsonPostPath());
        assertTrue(response.statusCode() < 300, response.asString());
        envelope(response);
    }

    @Test
    public void goodRequestIdIsEchoedInHeaderAndMeta() {
        for (String id : List.of("a", "trace-1.2_3", "A".repeat(64), "0123456789.-_abcXYZ")) {
            Response response = authorized().header("X-Request-Id", id).get(knownPath());
            assertEquals(200, response.statusCode(), response.asString());
            assertEquals(id, response.header("X-Request-Id"));
            assertEquals(id, ((Map<?, ?>) envelope(response).get("meta")).get("request_id"));
        }
    }

    @Test
    public void goodRequestIdIsEchoedOnErrorsToo() {
        Response response = given().header("X-Request-Id", "err-trace-42").get("/api/v1/nope");
        error(response, 404, "NOT_FOUND");
        assertEquals("err-trace-42", response.header("X-Request-Id"));
        Response unauthorized = given().header("X-Request-Id", "err-trace-43").get(knownPath());
        assertEquals(401, unauthorized.statusCode(), unauthorized.asString());
        assertEquals("err-trace-43", envelope(unauthorized).get("meta") instanceof Map<?, ?> meta ? meta.get("request_id") : null);
    }

    @Test
    public void badRequestIdIsReplacedAndTheRequestStillSucceeds() {
        for (String bad : List.of("x".repeat(65), "y".repeat(70), "has space", "slash/ed", "quote\"d", "é-accent", "semi;colon",
                "pp_live_sk_0123456789ABCDEFGHIJKLMNOPQRSTUV2zXgei")) {
            Response response = authorized().header("X-Request-Id", bad).get(knownPath());
            assertEquals(200, response.statusCode(), () -> bad + " -> " + response.asString());
            String replaced = response.header("X-Request-Id");
            assertTrue(replaced.matches(GENERATED_REQUEST_ID), () -> bad + " -> " + replaced);
            assertEquals(replaced, ((Map<?, ?>) envelope(response).get("meta")).get("request_id"));
        }
    }

    @Test
    public void eachRequestGetsItsOwnGeneratedRequestId() {
        String first = authorized().get(knownPath()).header("X-Request-Id");
        String second = authorized().get(knownPath()).header("X-Request-Id");
        assertTrue(first.matches(GENERATED_REQUEST_ID) && second.matches(GENERATED_REQUEST_ID));
        assertTrue(!first.equals(second), first);
    }

    /** Whatever arrives, the answer is a 4xx in the envelope: never a 500, never a stack trace. */
    @Test
    public void noMalformedRequestGetsA500() {
        List<String> failures = new ArrayList<>();
        List<String> bodies = List.of("", "{", "}", "null", "{}", "{\"name\": null}", "{\"name\": {}}", "{\"name\": []}",
                "{\"name\": 1e999999}", "{\"name\": 123456789012345678901234567890}", "{\"name\": \"\\ud800\"}",
                "{\"name\": \"x\", \"name\": \"y\"}", "{\"\": 1}", "[".repeat(5000) + "]".repeat(5000),
                "{\"a\":".repeat(3000) + "1" + "}".repeat(3000), "\u0000\u0001", "{\"name\": \"x\"} trailing");
        for (String body : bodies) {
            check(failures, "POST " + abbreviate(body), authorized().contentType(ContentType.JSON).body(body).post(jsonPostPath()));
        }
        byte[] notUtf8 = { '{', '"', 'n', '"', ':', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '"', '}' };
        check(failures, "POST invalid UTF-8", authorized().contentType(ContentType.JSON).body(notUtf8).post(jsonPostPath()));
        check(failures, "POST no content type", authorized().body(validJsonBody().getBytes(StandardCharsets.UTF_8)).post(jsonPostPath()));
        for (String authorization : List.of("Bearer", "Bearer ", "Bearer  two-spaces", "Basic dXNlcjpwYXNz", "bearer x.y.z",
                "Bearer " + "a".repeat(8000), "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "Bearer pp_live_sk_short",
                "Bearer pp_test_sk_" + "0".repeat(38), "Token abc")) {
            check(failures, "GET with Authorization " + abbreviate(authorization),
                    given().header("Authorization", authorization).get(knownPath()));
        }
        check(failures, "GET x-api-key garbage", given().header("x-api-key", "garbage").get(knownPath()));
        check(failures, "GET x-api-key and different bearer", authorized().header("x-api-key", "pp_live_sk_x").get(knownPath()));
        for (String query : List.of("?limit=0", "?limit=abc", "?limit=101", "?limit=-1", "?limit=99999999999999999999",
                "?cursor=" + "A".repeat(1000), "?limit=", "?cursor=", "?limit=1&limit=2")) {
            check(failures, "GET " + abbreviate(query), authorized().urlEncodingEnabled(false).get(knownPath() + query));
        }
        check(failures, "GET Accept text/html", authorized().accept("text/html").get(knownPath()));
        check(failures, "DELETE collection", authorized().delete(knownPath()));
        check(failures, "PATCH collection", authorized().contentType(ContentType.JSON).body("{}").patch(knownPath()));
        assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
    }

    /**
     * A cursor is only good for the list that gave it (SPEC section 4: a bad cursor is 400). One
     * that points after an item of another kind, well formed as it is, would start the list again
     * or end it at once, and a client paging through it could loop.
     */
    @Test
    public void aCursorOfAnotherListIs400() {
        for (String type : List.of(Ids.EVENT, Ids.REQUEST)) {
            String cursor = Cursor.encode(Ids.newId(type));
            Map<String, Object> error = error(authorized().queryParam("cursor", cursor).get(knownPath()), 400, "VALIDATION_FAILED");
            assertEquals(List.of("cursor"), EnvelopeChecks.fieldsOf(error), error::toString);
        }
    }

    /** A query or path that cannot be percent-decoded is a 400 like any other bad value: enveloped, with a request id. */
    @Test
    public void undecodableUriIsAnEnvelopedBadRequest() throws Exception {
        URI base = URI.create(baseUri());
        for (String path : List.of(knownPath() + "?cursor=%%%", knownPath() + "/%ZZ", "/nope%ZZ")) {
            // Sent over a raw socket: HTTP clients refuse to send such a URI at all.
            try (Socket socket = new Socket(base.getHost(), base.getPort())) {
                socket.setSoTimeout(30_000);
                String request = "GET " + path + " HTTP/1.1\r\n"
                        + "Host: " + base.getHost() + ":" + base.getPort() + "\r\n"
                        + "Authorization: " + validAuthorization() + "\r\n"
                        + "Connection: close\r\n\r\n";
                socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                String answer = readAnswer(socket.getInputStream());
                assertTrue(answer.startsWith("HTTP/1.1 400"), path + " -> " + answer);
                assertTrue(answer.toLowerCase().contains("\r\nx-request-id: req_"), answer);
                String json = answer.substring(answer.indexOf("\r\n\r\n") + 4);
                assertTrue(json.contains("\"code\":\"VALIDATION_FAILED\""), json);
                assertTrue(json.contains("\"data\":null"), json);
            }
        }
    }

    private static void check(List<String> failures, String what, Response response) {
        int status = response.statusCode();
        if (status >= 500) {
            failures.add(what + " -> " + status + " " + abbreviate(response.asString()));
            return;
        }
        String contentType = response.contentType();
        if (contentType != null && contentType.startsWith("application/json")) {
            try {
                envelope(response);
            } catch (AssertionError e) {
                failures.add(what + " -> " + e.getMessage());
            }
        } else if (status >= 400) {
            failures.add(what + " -> " + status + " without a JSON envelope (" + contentType + "): "
                    + abbreviate(response.asString()));
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…(" + text.length() + " chars)";
    }
}
