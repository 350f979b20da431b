package dev.postgate.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.ServiceProcess;
import dev.postgate.common.testing.TestKeys;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.Tokens;

/** Usage flows back to key-service in batches: last_used_at becomes right without a call per request. */
class UsageIT {

    @Test
    void lastUsedAtFollowsTheKeysUseOnAConsumingService() {
        try (ServiceProcess keys = ServiceProcess.of("key-service").name("usage-keys").start();
                ServiceProcess publish = ServiceProcess.of("publish-service").name("usage-publish").keyService(keys.baseUrl())
                        .env("POSTGATE_KEY_CLIENT_USAGE_FLUSH_INTERVAL", "2s").start()) {
            String org = TestKeys.newOrg();
            IssuedKey key = TestKeys.create(keys.baseUrl(), org, List.of("posts:read"));
            String admin = "Bearer " + Tokens.admin(org);
            assertNull(given().baseUri(keys.baseUrl()).header("Authorization", admin).get("/api/v1/keys/" + key.id())
                    .path("data.last_used_at"), "never used yet");

            Instant before = Instant.now().minusSeconds(1);
            for (int i = 0; i < 20; i++) {
                given().baseUri(publish.baseUrl()).header("Authorization", key.bearer()).get("/api/v1/whoami").then().statusCode(200);
            }
            String lastUsed = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(
                    () -> given().baseUri(keys.baseUrl()).header("Authorization", admin).get("/api/v1/keys/" + key.id())
                            .path("data.last_used_at"),
                    value -> value != null);
            assertNotNull(lastUsed);
            assertTrue(!Instant.parse(lastUsed).isBefore(before), "last_used_at " + lastUsed + " is the recent use");
            assertTrue(Instant.parse(lastUsed).isBefore(Instant.now().plusSeconds(61)));
        }
    }
}
