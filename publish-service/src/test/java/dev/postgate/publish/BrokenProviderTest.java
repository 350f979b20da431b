package dev.postgate.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
 * A provider that fails in a way of its own, or answers what cannot be stored, makes the request
 * 503 with nothing charged, never a 500, and stores nothing. Found by review: any failure but
 * "rejected" and "unavailable" was answered 500, and a file without a type failed while it was
 * stored (500; the credits held until the worker refunded them).
 */
@QuarkusTest
@TestProfile(BrokenProviderTest.Broken.class)
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WorkspaceServiceResource.class, scope = TestResourceScope.GLOBAL)
class BrokenProviderTest {

    public static class Broken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("postgate.publish.generation.provider", "broken");
        }
    }

    /** POST /api/v1/{kind}/generate with {@code prompt}, by a key of the tenant that may generate that kind. */
    private static Response generate(Api.Tenant tenant, String kind, String prompt) {
        IssuedKey key = tenant.key(kind + ":generate");
        return tenant.as(key).contentType(ContentType.JSON).body(Map.of("prompt", prompt)).post("/api/v1/" + kind + "/generate");
    }

    @Test
    void aProviderFailingItsOwnWayIsUnavailableAndNothingIsCharged() {
        Api.Tenant tenant = Api.tenant(10);
        Response response = generate(tenant, "content", "reset");
        SlowGenerationTest.assertGivenUpAndRefunded(tenant, 10, response, "Nothing was charged.");
        assertFalse(response.asString().contains("Connection reset"), "the provider's own error is not the client's: " + response.asString());
    }

    @Test
    void anAnswerThatCannotBeStoredIsUnavailableAndNothingIsCharged() {
        for (String prompt : new String[] { "untyped", "mislabelled", "text" }) {
            Api.Tenant tenant = Api.tenant(10);
            Response response = generate(tenant, "images", prompt);
            SlowGenerationTest.assertGivenUpAndRefunded(tenant, 10, response, "Nothing was charged.");
            assertEquals(0, Db.count("select count(*) from media where workspace_id = ?", tenant.workspaceId()), prompt);
        }
    }

    /** A file whose type is named in capitals and with parameters is the type it is: stored, and charged. */
    @Test
    void aFileTypeNamedOddlyIsStoredAsTheTypeItIs() {
        Api.Tenant tenant = Api.tenant(10);
        Response response = generate(tenant, "images", "shouting");
        assertEquals(201, response.statusCode(), response.asString());
        assertEquals("image/png", Db.query("select content_type from media where workspace_id = ?", tenant.workspaceId())
                .get(0).get("content_type"));
    }
}
