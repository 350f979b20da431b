package dev.postgate.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.postgate.common.testing.ServiceProcess;
import dev.postgate.common.testing.TestKeys;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.Tokens;
import io.restassured.http.ContentType;

/**
 * A file's bytes are sent as its client takes them, not held whole in publish-service's memory:
 * the downloads of one key must not exhaust the service. publish-service runs here with a heap of
 * 128 MiB; twelve clients download the same 10 MiB file at once, taking nothing until a
 * thirteenth has been refused. Found by review: each download read the whole file from the
 * database into memory, copied it twice and held it until its client had taken it all (some 30 MiB
 * a download at its peak), so the service ran out of heap and downloads came back as 500s. A
 * stalled download still holds a piece of its file, so a workspace may have only so many in
 * progress at once (here twelve): one more is 429 with Retry-After until one has ended, and a
 * client that takes nothing for the stall limit is cut off, giving its slot back.
 */
class LargeDownloadsIT {
    private static final int CLIENTS = 12;
    private static final String CAP = String.valueOf(CLIENTS);
    private static final int FILE_BYTES = 10 * 1024 * 1024;
    private static final Duration STALL_LIMIT = Duration.ofSeconds(10);

    @Test
    void slowDownloadsOfALargeFileAllArriveWholeOnASmallHeapAndOneMoreWaits() throws Exception {
        try (ServiceProcess keys = ServiceProcess.of("key-service").name("downloads-keys").start();
                ServiceProcess workspaces = ServiceProcess.of("workspace-service").name("downloads-workspaces")
                        .keyService(keys.baseUrl()).start();
                ServiceProcess publish = ServiceProcess.of("publish-service").name("downloads-publish").keyService(keys.baseUrl())
                        .workspaceService(workspaces.baseUrl()).env("POSTGATE_PUBLISH_MEDIA_CONCURRENT_DOWNLOADS_PER_WORKSPACE", CAP)
                        .env("POSTGATE_PUBLISH_MEDIA_DOWNLOAD_STALL_LIMIT", STALL_LIMIT.toSeconds() + "s")
                        .jvmOptions("-Xmx128m", "-XX:+UseSerialGC").start()) {
            String org = TestKeys.newOrg();
            String workspace = given().baseUri(workspaces.baseUrl()).header("Authorization", "Bearer " + Tokens.admin(org))
                    .contentType(ContentType.JSON).body(Map.of("name", "downloads")).post("/api/v1/workspaces")
                    .then().statusCode(201).extract().path("data.id");
            IssuedKey key = TestKeys.create(keys.baseUrl(), org, List.of("media:read", "media:write"));
            byte[] file = largePng();
            String mediaId = given().baseUri(publish.baseUrl()).header("Authorization", key.bearer()).header("X-Workspace-Id", workspace)
                    .multiPart("file", "large.png", file, "image/png").post("/api/v1/media")
                    .then().statusCode(201).extract().path("data.id");

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
            HttpRequest download = HttpRequest.newBuilder(URI.create(publish.baseUrl() + "/api/v1/media/" + mediaId + "/content"))
                    .header("Authorization", key.bearer()).header("X-Workspace-Id", workspace).timeout(Duration.ofSeconds(60)).build();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            CountDownLatch answered = new CountDownLatch(CLIENTS);
            CountDownLatch read = new CountDownLatch(1);
            try {
                List<Future<Download>> downloads = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    downloads.add(clients.submit(() -> {
                        HttpResponse<InputStream> answer = http.send(download, HttpResponse.BodyHandlers.ofInputStream());
                        answered.countDown();
                        read.await();
                        return whole(answer);
                    }));
                }
                assertTrue(answered.await(120, TimeUnit.SECONDS), "every download answered");
                HttpResponse<String> oneMore = http.send(download, HttpResponse.BodyHandlers.ofString());
                String said = oneMore.body().substring(0, Math.min(300, oneMore.body().length()));
                assertEquals(429, oneMore.statusCode(), said);
                assertTrue(said.contains("\"RATE_LIMITED\""), said);
                assertEquals("1", oneMore.headers().firstValue("Retry-After").orElse(null));
                read.countDown();
                for (Future<Download> each : downloads) {
                    Download answer = each.get(120, TimeUnit.SECONDS);
                    assertEquals(200, answer.status(), () -> new String(answer.body()));
                    assertEquals("image/png", answer.contentType());
                    assertArrayEquals(file, answer.body(), "the whole file, as uploaded");
                }
            } finally {
                read.countDown();
            }

            // A client that takes nothing for longer than the stall limit is cut off.
            HttpResponse<InputStream> stalled = http.send(download, HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, stalled.statusCode());
            Thread.sleep(STALL_LIMIT.plusSeconds(5).toMillis());
            assertThrows(IOException.class, () -> whole(stalled), "the stalled download was cut off");

            // Every slot was given back as its download ended (the server's end may come just after the client's).
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                List<Future<Download>> again = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    again.add(clients.submit(() -> whole(http.send(download, HttpResponse.BodyHandlers.ofInputStream()))));
                }
                for (Future<Download> each : again) {
                    Download answer = each.get(120, TimeUnit.SECONDS);
                    assertEquals(200, answer.status());
                    assertArrayEquals(file, answer.body());
                }
            });
            clients.shutdownNow();
            assertTrue(publish.isAlive(), publish.logTail());
            assertEquals(200, publish.status("/q/health/live"));
            assertFalse(publish.logTail().contains("OutOfMemoryError"), publish.logTail());
        }
    }

    /** A PNG signature and header, then random bytes up to the upload limit (the type is read from the start). */
    private static byte[] largePng() {
        byte[] file = new byte[FILE_BYTES];
        new Random(7).nextBytes(file);
        byte[] signature = { (byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 'I', 'H', 'D', 'R' };
        System.arraycopy(signature, 0, file, 0, signature.length);
        return file;
    }

    private record Download(int status, String contentType, byte[] body) {
    }

    private static Download whole(HttpResponse<InputStream> answer) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (InputStream in = answer.body()) {
            in.transferTo(body);
        }
        return new Download(answer.statusCode(), answer.headers().firstValue("Content-Type").orElse(null), body.toByteArray());
    }
}
