package dev.postgate.publish;

import static dev.postgate.common.testing.EnvelopeChecks.error;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.WorkspaceServiceResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Every publish-service endpoint declares its scope and needs a workspace the key may use, and
 * the checks answer in the SPEC's order: 403 INSUFFICIENT_SCOPE naming the scope, then 400
 * WORKSPACE_REQUIRED, then 403 WORKSPACE_FORBIDDEN.
 */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WorkspaceServiceResource.class, scope = TestResourceScope.GLOBAL)
class EndpointAccessTest {
    private static final String POST = "/api/v1/posts/post_01J0000000000000000000000A";
    private static final String MEDIA = "/api/v1/media/med_01J0000000000000000000000A";

    /** One endpoint: method, path (with a made-up id), the path template messages name, the scope it needs. */
    record Endpoint(String method, String path, String template, String scope) {
        Response call(RequestSpecification request) {
            if (template.startsWith("/api/v1/media") && method.equals("POST")) {
                request.multiPart("file", "pixel.png", new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' }, "image/png");
            } else if (method.equals("POST") || method.equals("PATCH")) {
                request.contentType(ContentType.JSON).body("{}");
            }
            return request.request(method, path);
        }

        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("POST", "/api/v1/posts", "/api/v1/posts", "posts:write"),
            new Endpoint("GET", "/api/v1/posts", "/api/v1/posts", "posts:read"),
            new Endpoint("GET", POST, "/api/v1/posts/{id}", "posts:read"),
            new Endpoint("GET", POST + "/results", "/api/v1/posts/{id}/results", "posts:read"),
            new Endpoint("PATCH", POST, "/api/v1/posts/{id}", "posts:write"),
            new Endpoint("DELETE", POST, "/api/v1/posts/{id}", "posts:write"),
            new Endpoint("POST", POST + "/publish", "/api/v1/posts/{id}/publish", "posts:publish"),
            new Endpoint("POST", POST + "/cancel", "/api/v1/posts/{id}/cancel", "posts:publish"),
            new Endpoint("POST", POST + "/retry", "/api/v1/posts/{id}/retry", "posts:publish"),
            new Endpoint("POST", "/api/v1/media", "/api/v1/media", "media:write"),
            new Endpoint("POST", "/api/v1/media/upload", "/api/v1/media/upload", "media:write"),
            new Endpoint("GET", "/api/v1/media", "/api/v1/media", "media:read"),
            new Endpoint("GET", MEDIA, "/api/v1/media/{id}", "media:read"),
            new Endpoint("GET", MEDIA + "/content", "/api/v1/media/{id}/content", "media:read"),
            new Endpoint("DELETE", MEDIA, "/api/v1/media/{id}", "media:write"),
            new Endpoint("POST", "/api/v1/content/generate", "/api/v1/content/generate", "content:generate"),
            new Endpoint("GET", "/api/v1/content", "/api/v1/content", "content:read"),
            new Endpoint("GET", "/api/v1/content/gen_01J0000000000000000000000A", "/api/v1/content/{id}", "content:read"),
            new Endpoint("POST", "/api/v1/images/generate", "/api/v1/images/generate", "images:generate"),
            new Endpoint("POST", "/api/v1/ai/generate-image", "/api/v1/ai/generate-image", "images:generate"),
            new Endpoint("GET", "/api/v1/images", "/api/v1/images", "images:read"),
            new Endpoint("GET", "/api/v1/images/gen_01J0000000000000000000000A", "/api/v1/images/{id}", "images:read"),
            new Endpoint("POST", "/api/v1/videos/generate", "/api/v1/videos/generate", "videos:generate"),
            new Endpoint("GET", "/api/v1/videos", "/api/v1/videos", "videos:read"),
            new Endpoint("GET", "/api/v1/videos/gen_01J0000000000000000000000A", "/api/v1/videos/{id}", "videos:read"),
            new Endpoint("GET", "/api/v1/analytics/posts/post_01J0000000000000000000000A", "/api/v1/analytics/posts/{id}",
                    "analytics:read"));

    private static Api.Tenant tenant;
    private static Api.Tenant stranger;
    private static IssuedKey unrelatedScopes;
    private static IssuedKey everyScope;

    @BeforeAll
    static void setUp() {
        tenant = Api.tenant(0);
        stranger = Api.tenant(0);
        unrelatedScopes = tenant.key("account:read", "calendar:read", "calendar:write");
        everyScope = tenant.key(ENDPOINTS.stream().map(Endpoint::scope).distinct().toArray(String[]::new));
    }

    @Test
    void everyEndpointWithoutItsScopeIsInsufficientScopeNamingIt() {
        List<String> failures = new ArrayList<>();
        for (Endpoint endpoint : ENDPOINTS) {
            Response response = endpoint.call(tenant.as(unrelatedScopes));
            try {
                Map<String, Object> error = error(response, 403, "INSUFFICIENT_SCOPE");
                assertEquals(endpoint.scope(), error.get("required_scope"));
                String message = (String) error.get("message");
                assertTrue(message.contains(endpoint.method() + " " + endpoint.template()), message);
            } catch (AssertionError e) {
                failures.add(endpoint + ": " + e.getMessage());
            }
        }
        assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
    }

    @Test
    void everyEndpointIsWorkspaceScoped() {
        List<String> failures = new ArrayList<>();
        for (Endpoint endpoint : ENDPOINTS) {
            try {
                error(endpoint.call(given().header("Authorization", everyScope.bearer())), 400, "WORKSPACE_REQUIRED");
            } catch (AssertionError e) {
                failures.add(endpoint + ": " + e.getMessage());
            }
        }
        assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
    }

    @Test
    void everyEndpointRefusesAnotherOrganisationsWorkspace() {
        List<String> failures = new ArrayList<>();
        for (Endpoint endpoint : ENDPOINTS) {
            try {
                error(endpoint.call(given().header("Authorization", everyScope.bearer())
                        .header(Api.WORKSPACE_HEADER, stranger.workspaceId())), 403, "WORKSPACE_FORBIDDEN");
            } catch (AssertionError e) {
                failures.add(endpoint + ": " + e.getMessage());
            }
        }
        assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
    }

    @Test
    void theScopeCheckComesBeforeTheWorkspaceChecks() {
        Endpoint publish = ENDPOINTS.get(6);
        error(publish.call(given().header("Authorization", unrelatedScopes.bearer())), 403, "INSUFFICIENT_SCOPE");
        error(publish.call(given().header("Authorization", unrelatedScopes.bearer())
                .header(Api.WORKSPACE_HEADER, stranger.workspaceId())), 403, "INSUFFICIENT_SCOPE");
    }

    @Test
    void everyEndpointWantsAnApiKey() {
        for (Endpoint endpoint : ENDPOINTS) {
            Response response = endpoint.call(given().header(Api.WORKSPACE_HEADER, tenant.workspaceId()));
            assertEquals(401, response.statusCode(), endpoint + " " + response.asString());
        }
    }
}
