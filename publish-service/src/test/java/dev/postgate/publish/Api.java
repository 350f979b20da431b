package dev.postgate.publish;

import static dev.postgate.common.testing.EnvelopeChecks.data;
import static dev.postgate.common.testing.EnvelopeChecks.list;
import static dev.postgate.common.testing.EnvelopeChecks.meta;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.postgate.common.testing.KeyServiceResource;
import dev.postgate.common.testing.TestKeys;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.Tokens;
import dev.postgate.common.testing.WorkspaceServiceResource;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The APIs a publish-service test drives, the way a customer would: workspace-service as a
 * dashboard admin (workspaces, social accounts, credit grants, balance, ledger), key-service for
 * real API keys, and publish-service with those keys.
 */
public final class Api {
    public static final String POSTS = "/api/v1/posts";
    public static final String MEDIA = "/api/v1/media";
    public static final String WORKSPACE_HEADER = "X-Workspace-Id";

    private Api() {
    }

    /** An organisation with one workspace (holding {@code credits}) and keys of that organisation. */
    public record Tenant(String org, String workspaceId) {

        public String account(String platform, String name) {
            Response response = admin(org).contentType(ContentType.JSON).body(Map.of("platform", platform, "name", name))
                    .post("/api/v1/workspaces/" + workspaceId + "/accounts");
            assertEquals(201, response.statusCode(), response.asString());
            return (String) data(response).get("id");
        }

        public long balance() {
            Response response = admin(org).get("/api/v1/workspaces/" + workspaceId);
            assertEquals(200, response.statusCode(), response.asString());
            return ((Number) data(response).get("balance")).longValue();
        }

        public void grant(long credits) {
            Response response = admin(org).contentType(ContentType.JSON).body(Map.of("amount", credits, "reason", "test grant"))
                    .post("/api/v1/workspaces/" + workspaceId + "/credits/grants");
            assertEquals(201, response.statusCode(), response.asString());
        }

        /** The workspace's ledger, newest first. */
        public List<Map<String, Object>> ledger() {
            List<Map<String, Object>> entries = new ArrayList<>();
            String cursor = null;
            do {
                RequestSpecification request = admin(org).queryParam("limit", 100);
                if (cursor != null) {
                    request.queryParam("cursor", cursor);
                }
                Response response = request.get("/api/v1/workspaces/" + workspaceId + "/ledger");
                assertEquals(200, response.statusCode(), response.asString());
                entries.addAll(list(response));
                cursor = (String) meta(response).get("next_cursor");
            } while (cursor != null);
            return entries;
        }

        public long ledgerCount(String kind) {
            return ledger().stream().filter(e -> kind.equals(e.get("kind"))).count();
        }

        public IssuedKey key(String... scopes) {
            return TestKeys.create(KeyServiceResource.url(), org, List.of(scopes));
        }

        public IssuedKey testKey(String... scopes) {
            return TestKeys.create(KeyServiceResource.url(), org, Map.of("scopes", List.of(scopes), "mode", "test"));
        }

        /** publish-service, called with {@code key} in this workspace. */
        public RequestSpecification as(IssuedKey key) {
            return given().header("Authorization", key.bearer()).header(WORKSPACE_HEADER, workspaceId);
        }

        /** A draft post to these accounts; returns its id. */
        public String draft(IssuedKey key, String content, String... accountIds) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("content", content);
            body.put("account_ids", List.of(accountIds));
            Response response = as(key).contentType(ContentType.JSON).body(body).post(POSTS);
            assertEquals(201, response.statusCode(), response.asString());
            return (String) data(response).get("id");
        }

        public Response publish(IssuedKey key, String postId) {
            return as(key).post(POSTS + "/" + postId + "/publish");
        }

        /** A draft to these accounts, published now (202): its id. */
        public String publishedNow(IssuedKey key, String content, String... accountIds) {
            String post = draft(key, content, accountIds);
            Response response = publish(key, post);
            assertEquals(202, response.statusCode(), response.asString());
            return post;
        }

        public Map<String, Object> post(IssuedKey key, String postId) {
            Response response = as(key).get(POSTS + "/" + postId);
            assertEquals(200, response.statusCode(), response.asString());
            return data(response);
        }

        public List<Map<String, Object>> results(IssuedKey key, String postId) {
            Response response = as(key).get(POSTS + "/" + postId + "/results");
            assertEquals(200, response.statusCode(), response.asString());
            return list(response);
        }

        /** Waits until the post reaches {@code status} (the worker publishes in the background). */
        public Map<String, Object> awaitStatus(IssuedKey key, String postId, String status) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> status.equals(post(key, postId).get("status")));
            return post(key, postId);
        }
    }

    /** A new organisation with a workspace holding {@code credits}. */
    public static Tenant tenant(long credits) {
        String org = TestKeys.newOrg();
        Response response = admin(org).contentType(ContentType.JSON).body(Map.of("name", "publish tests")).post("/api/v1/workspaces");
        assertEquals(201, response.statusCode(), response.asString());
        Tenant tenant = new Tenant(org, (String) data(response).get("id"));
        if (credits > 0) {
            tenant.grant(credits);
        }
        return tenant;
    }

    /** workspace-service as a dashboard admin of {@code org}. */
    public static RequestSpecification admin(String org) {
        return given().baseUri(WorkspaceServiceResource.url()).header("Authorization", "Bearer " + Tokens.admin(org));
    }
}
