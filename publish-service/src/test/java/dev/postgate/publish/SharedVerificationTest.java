package dev.postgate.publish;

import static dev.postgate.common.testing.EnvelopeChecks.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.WorkspaceServiceResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Requests that arrive together with a key this instance has not verified yet share one
 * verification, and each is still served as itself, in its own workspace. A reviewer suspected
 * that the requests joining a verification in flight, handed its answer on the context of the
 * request that started it, recorded their caller into that request's; this test found each served
 * right (Quarkus restores each callback's request context), and keeps it so.
 */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WorkspaceServiceResource.class, scope = TestResourceScope.GLOBAL)
class SharedVerificationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Requests that found no cached verdict less the verifications made: those that joined one in flight. */
    private static double joined() {
        String metrics = RestAssured.get("/q/metrics").asString();
        return metric(metrics, "postgate_key_cache_misses_total") - metric(metrics, "postgate_key_verification_seconds_count");
    }

    private static double metric(String metrics, String name) {
        return metrics.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError(name + " is not in /q/metrics"));
    }

    @Test
    void requestsSharingAVerificationAreEachServedInTheirOwnWorkspace() throws Exception {
        Api.Tenant tenant = Api.tenant(0);
        Response second = Api.admin(tenant.org()).contentType(ContentType.JSON).body(Map.of("name", "second")).post("/api/v1/workspaces");
        assertEquals(201, second.statusCode(), second.asString());
        List<String> workspaces = List.of(tenant.workspaceId(), (String) data(second).get("id"));
        IssuedKey writer = tenant.key("posts:write");
        for (String workspace : workspaces) {
            Response account = Api.admin(tenant.org()).contentType(ContentType.JSON).body(Map.of("platform", "x", "name", "brand"))
                    .post("/api/v1/workspaces/" + workspace + "/accounts");
            assertEquals(201, account.statusCode(), account.asString());
            Response draft = RestAssured.given().header("Authorization", writer.bearer()).header(Api.WORKSPACE_HEADER, workspace)
                    .contentType(ContentType.JSON).body(Map.of("content", workspace, "account_ids", List.of(data(account).get("id"))))
                    .post(Api.POSTS);
            assertEquals(201, draft.statusCode(), draft.asString());
        }

        double joinedBefore = joined();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create(RestAssured.baseURI + ":" + RestAssured.port + Api.POSTS);
        URI health = URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/q/health/live");
        for (int round = 0; round < 5; round++) {
            IssuedKey reader = tenant.key("posts:read"); // not verified by this instance yet
            // Connections open beforehand, so that the requests below arrive together.
            List<CompletableFuture<HttpResponse<String>>> warm = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                warm.add(http.sendAsync(HttpRequest.newBuilder(health).GET().build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> w : warm) {
                w.get(30, TimeUnit.SECONDS);
            }
            List<String> asked = new ArrayList<>();
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                String workspace = workspaces.get(i % 2);
                asked.add(workspace);
                answers.add(http.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                        .header("Authorization", reader.bearer()).header(Api.WORKSPACE_HEADER, workspace).GET().build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (int i = 0; i < answers.size(); i++) {
                HttpResponse<String> answer = answers.get(i).get(30, TimeUnit.SECONDS);
                assertEquals(200, answer.statusCode(), answer.body());
                List<?> posts = (List<?>) JSON.readValue(answer.body(), Map.class).get("data");
                assertEquals(1, posts.size(), answer.body());
                assertEquals(asked.get(i), ((Map<?, ?>) posts.get(0)).get("workspace_id"), "round " + round + ": " + answer.body());
            }
        }
        assertTrue(joined() - joinedBefore > 0, "some requests joined a verification in flight, or this test shows nothing");
    }
}
