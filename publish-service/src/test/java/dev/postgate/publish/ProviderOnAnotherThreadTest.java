package dev.postgate.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.WorkspaceServiceResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * SPEC section 5: a real provider plugs in by configuration, and its client may answer on a thread
 * of its own (here a worker thread: {@code ElsewhereProvider}). The generation is stored and charged
 * as the built-in provider's is. Found by review: the answer was stored from the provider's thread,
 * where no database session can be opened, so an image or a video was a 500 with its credits held
 * until the worker refunded them.
 */
@QuarkusTest
@TestProfile(ProviderOnAnotherThreadTest.Elsewhere.class)
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WorkspaceServiceResource.class, scope = TestResourceScope.GLOBAL)
class ProviderOnAnotherThreadTest {

    public static class Elsewhere implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("postgate.publish.generation.provider", "elsewhere");
        }
    }

    @Test
    void aProviderAnsweringOnItsOwnThreadMakesImagesAndCaptions() {
        Api.Tenant tenant = Api.tenant(100);
        IssuedKey key = tenant.key("images:generate", "content:generate", "images:read", "media:read");
        Response image = tenant.as(key).contentType(ContentType.JSON).body(Map.of("prompt", "A blue square"))
                .post("/api/v1/images/generate");
        assertEquals(201, image.statusCode(), image.asString());
        assertNotNull(image.path("data.media_id"));
        assertEquals("5", image.header("X-Credits-Cost"));
        Response caption = tenant.as(key).contentType(ContentType.JSON).body(Map.of("prompt", "Say hello"))
                .post("/api/v1/content/generate");
        assertEquals(201, caption.statusCode(), caption.asString());
        assertEquals("Written elsewhere: Say hello", caption.path("data.text"));
        assertEquals(100 - 5 - Long.parseLong(caption.header("X-Credits-Cost")), tenant.balance());
        tenant.as(key).get("/api/v1/media/" + image.path("data.media_id") + "/content").then().statusCode(200);
    }
}
