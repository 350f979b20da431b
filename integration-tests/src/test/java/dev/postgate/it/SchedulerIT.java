package dev.postgate.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.ServiceProcess;
import dev.postgate.common.testing.TestKeys;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.Tokens;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * Two publish-service instances share one database: posts scheduled for the same moment are
 * each published exactly once, and each target charged exactly once.
 */
class SchedulerIT {

    @Test
    void twoSchedulerInstancesPublishEachDuePostExactlyOnce() {
        try (ServiceProcess keys = ServiceProcess.of("key-service").name("scheduler-keys").start();
                ServiceProcess workspaces = ServiceProcess.of("workspace-service").name("scheduler-workspaces")
                        .keyService(keys.baseUrl()).start();
                ServiceProcess first = ServiceProcess.of("publish-service").name("scheduler-publish-1")
                        .keyService(keys.baseUrl()).workspaceService(workspaces.baseUrl()).start();
                ServiceProcess second = ServiceProcess.of("publish-service").name("scheduler-publish-2")
                        .keyService(keys.baseUrl()).workspaceService(workspaces.baseUrl()).start()) {
            String org = TestKeys.newOrg();
            String admin = "Bearer " + Tokens.admin(org);
            String workspace = given().baseUri(workspaces.baseUrl()).header("Authorization", admin).contentType(ContentType.JSON)
                    .body(Map.of("name", "scheduling")).post("/api/v1/workspaces").then().statusCode(201).extract().path("data.id");
            given().baseUri(workspaces.baseUrl()).header("Authorization", admin).contentType(ContentType.JSON)
                    .body(Map.of("amount", 100, "reason", "scheduler test")).post("/api/v1/workspaces/" + workspace + "/credits/grants")
                    .then().statusCode(201);
            String account = given().baseUri(workspaces.baseUrl()).header("Authorization", admin).contentType(ContentType.JSON)
                    .body(Map.of("platform", "linkedin", "name", "company page")).post("/api/v1/workspaces/" + workspace + "/accounts")
                    .then().statusCode(201).extract().path("data.id");
            IssuedKey key = TestKeys.create(keys.baseUrl(), org, List.of("posts:write", "posts:publish", "posts:read"));

            int posts = 20;
            List<String> ids = new ArrayList<>();
            Instant creating = Instant.now();
            for (int i = 0; i < posts; i++) {
                ServiceProcess via = i % 2 == 0 ? first : second;
                ids.add(as(via, key, workspace).contentType(ContentType.JSON)
                        .body(Map.of("content", "scheduled post " + i, "account_ids", List.of(account)))
                        .post("/api/v1/posts").then().statusCode(201).extract().path("data.id"));
            }
            // Every post is due at the same moment, far enough ahead that scheduling them all ends
            // before it however slow this machine is: scheduling a post costs about what creating
            // one did, so the margin is twice the time the creations took (and at least 3 s).
            Duration creation = Duration.between(creating, Instant.now());
            Instant due = Instant.now().plus(Duration.ofSeconds(3).plus(creation.multipliedBy(2)));
            for (int i = 0; i < posts; i++) {
                ServiceProcess via = i % 2 == 0 ? first : second;
                var scheduled = as(via, key, workspace).contentType(ContentType.JSON).body(Map.of("scheduled_at", due.toString()))
                        .post("/api/v1/posts/" + ids.get(i) + "/publish");
                assertEquals(true, scheduled.statusCode() == 200 || scheduled.statusCode() == 202, "scheduling answered "
                        + scheduled.statusCode() + " at " + Instant.now() + " for " + due + ": " + scheduled.asString());
            }

            for (String id : ids) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                        "published".equals(as(first, key, workspace).get("/api/v1/posts/" + id).path("data.status")));
                List<Map<String, Object>> results = as(second, key, workspace).get("/api/v1/posts/" + id + "/results")
                        .then().statusCode(200).extract().path("data");
                assertEquals(1, results.size(), "one result per target for " + id + ": " + results);
                assertEquals("published", results.get(0).get("status"));
            }

            // The ledger is the proof of "exactly once": one reserve and one settle per post, nothing more.
            List<String> kinds = new ArrayList<>();
            String cursor = null;
            do {
                var page = given().baseUri(workspaces.baseUrl()).header("Authorization", admin).queryParam("limit", 100)
                        .queryParams(cursor == null ? Map.of() : Map.of("cursor", cursor))
                        .get("/api/v1/workspaces/" + workspace + "/ledger").then().statusCode(200).extract();
                kinds.addAll(page.path("data.kind"));
                cursor = page.path("meta.next_cursor");
            } while (cursor != null);
            assertEquals(posts, kinds.stream().filter("reserve"::equals).count(), "reserves: " + kinds);
            assertEquals(posts, kinds.stream().filter("settle"::equals).count(), "settles: " + kinds);
            assertEquals(0, kinds.stream().filter("refund"::equals).count());
            Number balance = given().baseUri(workspaces.baseUrl()).header("Authorization", admin)
                    .get("/api/v1/workspaces/" + workspace).then().statusCode(200).extract().path("data.balance");
            assertEquals(100 - posts, balance.intValue());
        }
    }

    private static RequestSpecification as(ServiceProcess service, IssuedKey key, String workspace) {
        return given().baseUri(service.baseUrl()).header("Authorization", key.bearer()).header("X-Workspace-Id", workspace);
    }
}
