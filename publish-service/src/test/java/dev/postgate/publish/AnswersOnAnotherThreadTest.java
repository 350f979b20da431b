package dev.postgate.publish;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.WorkspaceServiceResource;
import dev.postgate.publish.publishing.ElsewhereConnector;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * SPEC section 5: real AI providers and platform connectors plug in by configuration, and their
 * clients may answer on a thread of their own (here a worker thread: {@code ElsewhereProvider},
 * {@link ElsewhereConnector}). A generation is stored and charged, and a post published and paid
 * once, as with the built-in ones. Found by review: the answer was stored from the provider's or
 * connector's thread, where no database session can be opened, so an image or a video was a 500
 * with its credits held until the worker refunded them, and a target was never recorded and was
 * sent again each time its claim ran out, the post publishing for ever.
 */
@QuarkusTest
@TestProfile(AnswersOnAnotherThreadTest.Elsewhere.class)
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WorkspaceServiceResource.class, scope = TestResourceScope.GLOBAL)
class AnswersOnAnotherThreadTest {

    public static class Elsewhere implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("postgate.publish.generation.provider", "elsewhere",
                    "postgate.publish.connectors.platforms.linkedin", ElsewhereConnector.NAME,
                    "postgate.publish.worker.lease", "3s");
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

    @Test
    void aConnectorAnsweringOnItsOwnThreadPublishes() {
        Api.Tenant tenant = Api.tenant(3);
        String account = tenant.account("linkedin", "a page");
        IssuedKey key = tenant.key("posts:write", "posts:read", "posts:publish", "analytics:read");
        String post = tenant.draft(key, "From elsewhere", account);
        Response published = tenant.publish(key, post);
        assertEquals(202, published.statusCode(), published.asString());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertEquals("published", tenant.post(key, post).get("status")));
        assertEquals(2, tenant.balance(), "the target paid once");
        assertEquals(1, tenant.ledgerCount("settle"));
        Response analytics = tenant.as(key).get("/api/v1/analytics/posts/" + post);
        assertEquals(200, analytics.statusCode(), analytics.asString());
        assertEquals(1, analytics.<Integer>path("data.totals.likes"));
        assertEquals(ElsewhereConnector.NAME, analytics.path("data.targets[0].source"));
    }
}
