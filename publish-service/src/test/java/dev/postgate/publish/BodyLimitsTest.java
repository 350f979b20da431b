package dev.postgate.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.RawHttp;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.WorkspaceServiceResource;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * Body limits on publish-service's own port: the media limit applies to the media paths only,
 * judged on the normalised path, and the HTTP server's own limit is the largest of them, not more.
 */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WorkspaceServiceResource.class, scope = TestResourceScope.GLOBAL)
class BodyLimitsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final long MEDIA_REQUEST_LIMIT = 11010048;
    private static Api.Tenant tenant;
    private static IssuedKey key;

    @BeforeAll
    static void setUp() {
        tenant = Api.tenant(0);
        key = tenant.key("posts:read", "posts:write", "media:read", "media:write");
    }

    private static String baseUri() {
        return RestAssured.baseURI + ":" + RestAssured.port;
    }

    private Map<String, String> headers(String contentType) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", key.bearer());
        headers.put(Api.WORKSPACE_HEADER, tenant.workspaceId());
        headers.put("Content-Type", contentType);
        return headers;
    }

    private static String code(RawHttp.Answer answer) throws IOException {
        Map<String, Object> envelope = JSON.readValue(answer.body(), new TypeReference<Map<String, Object>>() {
        });
        return ((Map<?, ?>) envelope.get("error")).get("code").toString();
    }

    /** A path that reaches the posts through the media prefix gets the posts' limit: 413 from the declared length, at once. */
    @Test
    void sizeLimitsApplyToTheNormalisedPath() throws IOException {
        for (String path : List.of("/api/v1/media/../posts", "/api/v1/media/./../posts", "/api/v1/./media/../posts")) {
            Map<String, String> headers = headers("application/json");
            headers.put("Content-Length", String.valueOf(2 * 1024 * 1024));
            try (RawHttp http = RawHttp.connect(baseUri(), 20_000)) {
                http.head("POST", path, headers);
                http.write("{\"content\": \"".getBytes(StandardCharsets.US_ASCII));
                String status = http.statusLine();
                assertNotNull(status, path + ": no answer until the body was sent, so the media limit was applied");
                assertTrue(status.startsWith("HTTP/1.1 413"), path + ": " + status);
                RawHttp.Answer answer = http.answer();
                assertEquals("PAYLOAD_TOO_LARGE", code(answer), answer.body());
            }
        }
    }

    @Test
    void theServersOwnLimitIsTheLargestPathLimit() {
        MemorySize serverLimit = ConfigProvider.getConfig().getValue("quarkus.http.limits.max-body-size", MemorySize.class);
        assertEquals(MEDIA_REQUEST_LIMIT, serverLimit.asLongValue());
    }

    /** An upload sent in chunks (no declared length) is cut off with 413 in the envelope once it passes the media limit. */
    @Test
    void aChunkedUploadOverTheMediaLimitIsCutOffWith413() throws IOException {
        Map<String, String> headers = headers("multipart/form-data; boundary=limit-test");
        headers.put("Transfer-Encoding", "chunked");
        try (RawHttp http = RawHttp.connect(baseUri(), 60_000)) {
            http.head("POST", Api.MEDIA, headers);
            http.chunk(("--limit-test\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.png\"\r\n"
                    + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            http.chunk(MediaTest.png(2, 2));
            http.writeInBackground(MEDIA_REQUEST_LIMIT + 1024 * 1024, (byte) 7, true);
            RawHttp.Answer answer = http.answer();
            assertEquals(413, answer.status(), answer.body());
            assertEquals("PAYLOAD_TOO_LARGE", code(answer), answer.body());
            assertTrue(http.closedByServer(), "the connection of a refused upload is closed, not drained");
        }
    }
}
