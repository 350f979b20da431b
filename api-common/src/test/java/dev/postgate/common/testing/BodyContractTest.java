package dev.postgate.common.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.RestAssured;

/**
 * SPEC section 6: no request body is read, buffered or parsed before its credential has passed,
 * and size limits hold however the body is sent (declared length or chunks). Each service
 * subclasses it as a {@code @QuarkusTest} with a JSON POST path of its own. The checks run on a
 * raw socket against the service's real HTTP port: whether the server answers before the body
 * arrives is what is tested.
 */
public abstract class BodyContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Generous: an answer that does not need the body comes at once; one that waits for it never comes. */
    private static final int ANSWER_TIMEOUT_MS = 20_000;

    /** A POST path of this service that takes a JSON body. */
    protected abstract String jsonPostPath();

    /** A JSON body that {@link #jsonPostPath()} accepts (2xx) from {@link #validHeaders()}. */
    protected abstract String validJsonBody();

    /** The headers of a caller allowed to POST to {@link #jsonPostPath()} (credential, workspace). */
    protected abstract Map<String, String> validHeaders();

    /** {@code postgate.http.max-body-bytes} of this service. */
    protected long maxBodyBytes() {
        return 1024 * 1024;
    }

    /** Credentials that must be refused (401) before anything of the body is read. */
    protected List<Map<String, String>> refusedCredentials() {
        return List.of(Map.of(), Map.of("Authorization", "Bearer pp_live_sk_malformed"),
                Map.of("Authorization", "Bearer not.a.jwt"), Map.of("x-api-key", "pp_test_sk_" + "0".repeat(38)));
    }

    /**
     * With {@code Expect: 100-continue} the client sends nothing of the body until the server asks
     * for it: the 401 must come first, never a {@code 100 Continue}, whatever else the request
     * carries (an Idempotency-Key, a JSON type, a body just under the limit).
     */
    @Test
    public void aRefusedCredentialIsAnsweredBeforeTheBodyIsAskedFor() throws IOException {
        for (Map<String, String> credential : refusedCredentials()) {
            Map<String, String> headers = new LinkedHashMap<>(credential);
            headers.put("Content-Type", "application/json");
            headers.put("Content-Length", String.valueOf(maxBodyBytes() - 1));
            headers.put("Idempotency-Key", "body-before-auth-" + credential.hashCode());
            headers.put("Expect", "100-continue");
            try (RawHttp http = RawHttp.connect(baseUri(), ANSWER_TIMEOUT_MS)) {
                http.head("POST", jsonPostPath(), headers);
                String status = http.statusLine();
                assertNotNull(status, () -> credential + ": no answer before the body was sent (the server waits for it)");
                assertTrue(status.startsWith("HTTP/1.1 401"), () -> credential + ": " + status);
                RawHttp.Answer answer = http.answer();
                assertEquals("UNAUTHORIZED", errorCode(answer), answer::body);
            }
        }
    }

    /** A client that sends the body right away gets its 401 while the body is still incomplete. */
    @Test
    public void aRefusedCredentialIsAnsweredWhileTheBodyIsStillArriving() throws IOException {
        for (Map<String, String> credential : refusedCredentials()) {
            Map<String, String> headers = new LinkedHashMap<>(credential);
            headers.put("Content-Type", "application/json");
            headers.put("Content-Length", String.valueOf(maxBodyBytes() - 1));
            headers.put("Idempotency-Key", "body-before-auth-" + credential.hashCode());
            try (RawHttp http = RawHttp.connect(baseUri(), ANSWER_TIMEOUT_MS)) {
                http.head("POST", jsonPostPath(), headers);
                byte[] start = new byte[4096];
                java.util.Arrays.fill(start, (byte) ' ');
                start[0] = '{';
                http.write(start);
                String status = http.statusLine();
                assertNotNull(status, () -> credential + ": no answer until the whole body was sent");
                assertTrue(status.startsWith("HTTP/1.1 401"), () -> credential + ": " + status);
                assertEquals("UNAUTHORIZED", errorCode(http.answer()));
            }
        }
    }

    /** A chunked body declares no length: it is cut off with 413 in the envelope once it grows past the limit. */
    @Test
    public void aChunkedBodyOverTheLimitIsCutOffWith413() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>(validHeaders());
        headers.put("Content-Type", "application/json");
        headers.put("Transfer-Encoding", "chunked");
        headers.put("X-Request-Id", "chunked-too-large");
        try (RawHttp http = RawHttp.connect(baseUri(), ANSWER_TIMEOUT_MS * 3)) {
            http.head("POST", jsonPostPath(), headers);
            http.chunk("{".getBytes(StandardCharsets.US_ASCII));
            http.writeInBackground(3 * maxBodyBytes(), (byte) ' ', true);
            RawHttp.Answer answer = http.answer();
            assertEquals(413, answer.status(), answer::body);
            assertEquals("PAYLOAD_TOO_LARGE", errorCode(answer), answer::body);
            assertEquals("chunked-too-large", answer.header("X-Request-Id"));
            assertTrue(http.closedByServer(), "the connection of a refused body is closed, not drained");
        }
    }

    /** Chunked bodies under the limit are read like any other. */
    @Test
    public void aChunkedBodyUnderTheLimitIsRead() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>(validHeaders());
        headers.put("Content-Type", "application/json");
        headers.put("Transfer-Encoding", "chunked");
        byte[] body = validJsonBody().getBytes(StandardCharsets.UTF_8);
        try (RawHttp http = RawHttp.connect(baseUri(), ANSWER_TIMEOUT_MS)) {
            http.head("POST", jsonPostPath(), headers);
            for (int offset = 0; offset < body.length; offset += 7) {
                http.chunk(java.util.Arrays.copyOfRange(body, offset, Math.min(body.length, offset + 7)));
            }
            http.chunk(new byte[0]);
            RawHttp.Answer answer = http.answer();
            assertTrue(answer.status() >= 200 && answer.status() < 300, answer::body);
        }
    }

    protected static String errorCode(RawHttp.Answer answer) throws IOException {
        Map<String, Object> envelope = JSON.readValue(answer.body(), new TypeReference<Map<String, Object>>() {
        });
        assertTrue(envelope.containsKey("data") && envelope.containsKey("meta"), answer::body);
        return envelope.get("error") instanceof Map<?, ?> error ? (String) error.get("code") : null;
    }

    protected static String baseUri() {
        return RestAssured.baseURI + ":" + RestAssured.port;
    }
}
