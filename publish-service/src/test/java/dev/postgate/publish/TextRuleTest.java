package dev.postgate.publish;

import static dev.postgate.common.testing.EnvelopeChecks.error;
import static dev.postgate.publish.Api.POSTS;
import static dev.postgate.common.testing.EnvelopeChecks.data;
import static dev.postgate.common.testing.EnvelopeChecks.fieldsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.TextSamples;
import dev.postgate.common.testing.WorkspaceServiceResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** SPEC section 4's text rule on publish-service: posts, their account ids, generation prompts. */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WorkspaceServiceResource.class, scope = TestResourceScope.GLOBAL)
class TextRuleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Api.Tenant tenant;
    private static IssuedKey key;
    private static String account;

    @BeforeAll
    static void setUp() {
        tenant = Api.tenant(10);
        account = tenant.account("x", "text rule");
        key = tenant.key("posts:read", "posts:write", "content:generate");
    }

    private static Response post(String path, String json) {
        return tenant.as(key).contentType(ContentType.JSON).body(json).post(path);
    }

    private static String quoted(String text) throws JsonProcessingException {
        return JSON.writeValueAsString(text);
    }

    @Test
    void aNulOrALoneSurrogateInAPostIsRefusedNamingTheField() {
        String draft = tenant.draft(key, "to be patched", account);
        long before = Db.count("select count(*) from posts where workspace_id = ?", tenant.workspaceId());
        for (String text : TextSamples.REFUSED) {
            assertEquals(List.of("content"), fieldsOf(error(post(POSTS, "{\"content\": " + text + ", \"account_ids\": [\"" + account + "\"]}"),
                    422, "VALIDATION_FAILED")), text);
            assertEquals(List.of("account_ids[0]"), fieldsOf(error(post(POSTS, "{\"content\": \"fine\", \"account_ids\": [" + text + "]}"),
                    422, "VALIDATION_FAILED")), text);
            assertEquals(List.of("content"), fieldsOf(error(tenant.as(key).contentType(ContentType.JSON).body("{\"content\": " + text + "}")
                    .patch(POSTS + "/" + draft), 422, "VALIDATION_FAILED")), text);
            assertEquals(List.of("prompt"), fieldsOf(error(post("/api/v1/content/generate", "{\"prompt\": " + text + "}"),
                    422, "VALIDATION_FAILED")), text);
        }
        assertEquals(before, Db.count("select count(*) from posts where workspace_id = ?", tenant.workspaceId()));
        assertEquals("to be patched", tenant.post(key, draft).get("content"));
        assertEquals(10, tenant.balance(), "a refused generation spends nothing");
    }

    @Test
    void allOtherTextIsStoredAndEchoedExactly() throws JsonProcessingException {
        for (String content : List.of(TextSamples.FREE_TEXT, TextSamples.NAME)) {
            Response created = post(POSTS, "{\"content\": " + quoted(content) + ", \"account_ids\": [\"" + account + "\"]}");
            assertEquals(201, created.statusCode(), created.asString());
            String id = (String) data(created).get("id");
            assertEquals(content, data(created).get("content"));
            assertEquals(content, tenant.post(key, id).get("content"));
            assertEquals(content, Db.query("select content from posts where id = ?", id).get(0).get("content"));
        }
        // The same text written with escapes only (a surrogate pair as two \\u escapes) is the same text.
        Response escaped = post(POSTS, "{\"content\": \"\\uD83D\\uDE00 \\u00e9\", \"account_ids\": [\"" + account + "\"]}");
        assertEquals(201, escaped.statusCode(), escaped.asString());
        assertEquals("\uD83D\uDE00 \u00e9", data(escaped).get("content"));
    }

    @Test
    void surrogatesEncodedAsRawBytesAreRefusedToo() {
        // U+D800 encoded the CESU way (ED A0 80) is not UTF-8: never stored, never a 500.
        byte[] body = ("{\"content\": \"x\u0001\", \"account_ids\": [\"" + account + "\"]}").getBytes(StandardCharsets.UTF_8);
        int at = new String(body, StandardCharsets.ISO_8859_1).indexOf('\u0001');
        byte[] cesu = new byte[body.length + 2];
        System.arraycopy(body, 0, cesu, 0, at);
        cesu[at] = (byte) 0xED;
        cesu[at + 1] = (byte) 0xA0;
        cesu[at + 2] = (byte) 0x80;
        System.arraycopy(body, at + 1, cesu, at + 3, body.length - at - 1);
        Response response = tenant.as(key).contentType(ContentType.JSON).body(cesu).post(POSTS);
        assertTrue(response.statusCode() == 400 || response.statusCode() == 422, response.asString());
        Map<String, Object> error = error(response, response.statusCode(), "VALIDATION_FAILED");
        assertTrue(error.get("message") instanceof String);
    }
}
