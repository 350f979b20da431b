package dev.postgate.keys;

import static dev.postgate.common.testing.EnvelopeChecks.error;
import static dev.postgate.keys.KeyApi.KEYS;
import static dev.postgate.keys.KeyApi.admin;
import static dev.postgate.keys.KeyApi.create;
import static dev.postgate.keys.KeyApi.get;
import static dev.postgate.keys.KeyApi.newOrg;
import static dev.postgate.keys.KeyApi.post;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.postgate.common.testing.TextSamples;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** SPEC section 4's text rule on key-service: key names (create, rename), revocation reasons, scope lists. */
@QuarkusTest
class TextRuleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @SuppressWarnings("unchecked")
    private static List<String> fields(Response response) {
        Map<String, Object> error = error(response, 422, "VALIDATION_FAILED");
        return ((List<Map<String, Object>>) error.get("fields")).stream().map(f -> (String) f.get("field")).toList();
    }

    @Test
    void aNulOrALoneSurrogateIsRefusedNamingTheField() {
        String org = newOrg();
        String id = (String) create(org).get("id");
        for (String text : TextSamples.REFUSED) {
            assertEquals(List.of("name"), fields(post(org, KEYS, "{\"name\": " + text + ", \"preset\": \"full\"}")), text);
            assertEquals(List.of("scopes[1]"), fields(post(org, KEYS, "{\"name\": \"n\", \"scopes\": [\"posts:read\", " + text + "]}")), text);
            assertEquals(List.of("name"), fields(admin(org).contentType(ContentType.JSON).body("{\"name\": " + text + "}")
                    .patch(KEYS + "/" + id)), text);
            assertEquals(List.of("reason"), fields(post(org, KEYS + "/" + id + "/revoke", "{\"reason\": " + text + "}")), text);
        }
        assertEquals("test key", get(org, id).get("name"));
        assertEquals("active", get(org, id).get("status"));
        Response all = KeyApi.member(org).get(KEYS);
        assertEquals(1, ((List<?>) all.path("data")).size(), all.asString());
    }

    @Test
    void otherTextInAKeyNameIsStoredAndEchoedExactly() throws JsonProcessingException {
        String org = newOrg();
        Map<String, Object> key = create(org, "{\"name\": " + JSON.writeValueAsString(TextSamples.AS_SENT) + ", \"preset\": \"full\"}");
        assertEquals(TextSamples.AS_SENT, key.get("name"));
        assertEquals(TextSamples.AS_SENT, get(org, (String) key.get("id")).get("name"));
        String id = (String) key.get("id");
        Response revoked = post(org, KEYS + "/" + id + "/revoke", "{\"reason\": " + JSON.writeValueAsString(TextSamples.AS_SENT) + "}");
        assertEquals(200, revoked.statusCode(), revoked.asString());
        assertEquals(Map.of("reason", TextSamples.AS_SENT), KeyApi.audit(org, id).get(0).get("details"));
    }
}
