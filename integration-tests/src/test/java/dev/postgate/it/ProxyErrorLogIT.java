package dev.postgate.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.postgate.common.keys.KeyFormat;
import dev.postgate.common.keys.KeyMode;
import dev.postgate.common.testing.ServiceProcess;

/**
 * SPEC section 2: a key is never logged. nginx writes a request's target, as sent, into its error
 * log whenever it cannot reach the service behind it (a format that cannot be changed; the access
 * log leaves such a target out). So the proxy refuses a target holding a key itself, before passing
 * anything on: here in front of addresses where no service listens, where every request it passes
 * on is written into its error log.
 */
class ProxyErrorLogIT {
    static Proxy proxy;

    @BeforeAll
    static void start() {
        String nowhere = "127.0.0.1:" + ServiceProcess.freePort();
        proxy = Proxy.before(nowhere, nowhere, nowhere);
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    /**
     * nginx's error log also quotes the request's Referer (stop 61's "left"): a page whose URL held a
     * key, linking to the API, would put the key there whenever a service could not be reached.
     */
    @Test
    void aKeyInTheRefererIsRefusedByTheProxyAndNeverReachesItsErrorLog() throws Exception {
        String key = KeyFormat.generate("pp", KeyMode.TEST);
        String run = UUID.randomUUID().toString().substring(0, 8);
        Wire.Answer passed = Wire.send(proxy.baseUrl(), "GET", "/api/v1/posts/post_" + run,
                Map.of("Referer", "https://example.com/settings?page=" + run), null);
        assertEquals(503, passed.status(), passed.body());
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(proxy.errorLog()).contains("page=" + run));

        for (String referer : List.of("https://example.com/settings?api_key=" + key, "https://example.com/keys/" + key.replace("_", "%5F"))) {
            Wire.Answer refused = Wire.send(proxy.baseUrl(), "GET", "/api/v1/posts/post_" + run, Map.of("Referer", referer), null);
            assertEquals(400, refused.status(), refused.body());
            JsonNode error = refused.json().path("error");
            assertEquals("VALIDATION_FAILED", error.path("code").asText());
            assertTrue(error.path("message").asText().startsWith("The request's Referer holds an API key"), error.toString());
            assertFalse(refused.body().contains(key.substring(11, 43)), "the key was echoed");
        }
        for (String line : Files.readAllLines(proxy.errorLog())) {
            assertFalse(line.contains(key.substring(11, 43)), () -> "the error log holds a key: " + line.replace(key.substring(11, 43), "{random part}"));
        }
    }

    @Test
    void aKeyInTheTargetIsRefusedByTheProxyAndNeverReachesItsErrorLog() throws Exception {
        String key = KeyFormat.generate("pp", KeyMode.LIVE);
        String run = UUID.randomUUID().toString().substring(0, 8);
        // What the proxy passes on with no service behind it is a 503, its target written into the error log.
        Wire.Answer passed = Wire.send(proxy.baseUrl(), "GET", "/api/v1/posts/post_" + run, Map.of("Authorization", "Bearer " + key), null);
        assertEquals(503, passed.status(), passed.body());
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(proxy.errorLog()).contains("/api/v1/posts/post_" + run));

        String other = KeyFormat.generate("acme", KeyMode.TEST);
        // Escaped letters too (found by review: the proxy read a key's underscores escaped, not its letters).
        List<String> targets = List.of("/api/v1/keys/" + key, "/api/v1/whoami?api_key=" + key, "/api/v1/posts?cursor=" + key,
                "/api/v1/posts/" + key.replace("_", "%5F"), "/api/v1/workspaces/" + key.replace("_", "%5f") + "/accounts",
                "/api/v1/keys/" + other, "/nothing-here/" + key, "/api/v1/posts/" + key.replace("live", "%6Cive"),
                "/api/v1/posts/" + key.substring(0, 11) + "%" + Integer.toHexString(key.charAt(11)) + key.substring(12),
                "/api/v1/posts/" + other.replace("test_sk", "%74est_%73k"));
        for (String target : targets) {
            Wire.Answer refused = Wire.send(proxy.baseUrl(), "GET", target, Map.of("Authorization", "Bearer " + key), null);
            String what = target.replace(key.substring(11, 43), "{random part}");
            assertEquals(400, refused.status(), what + ": " + refused.body());
            JsonNode error = refused.json().path("error");
            assertEquals("VALIDATION_FAILED", error.path("code").asText(), what);
            assertTrue(error.path("message").asText().startsWith("The request's path or query holds an API key."), what + ": " + error);
            assertEquals("no-store", refused.header("Cache-Control"), what);
            assertFalse(refused.body().contains(key.substring(11, 43)), what + " was echoed");
        }
        // A target that only starts like a key is passed on as any other.
        Wire.Answer cut = Wire.send(proxy.baseUrl(), "GET", "/api/v1/posts/" + key.substring(0, 30), Map.of(), null);
        assertEquals(503, cut.status(), cut.body());

        for (String random : List.of(key.substring(11, 43), key.substring(12, 43), other.substring(13, 45))) {
            for (var log : List.of(proxy.errorLog(), proxy.accessLog())) {
                for (String line : Files.readAllLines(log)) {
                    assertFalse(line.contains(random), () -> log.getFileName() + " holds a key: " + line.replace(random, "{random part}"));
                }
            }
        }
    }
}
