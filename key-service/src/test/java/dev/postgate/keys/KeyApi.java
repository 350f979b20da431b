package dev.postgate.keys;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.postgate.common.testing.EnvelopeChecks;
import dev.postgate.common.testing.Tokens;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** The key API as a dashboard user and as a service call it, for tests. */
final class KeyApi {
    static final String KEYS = "/api/v1/keys";
    static final String VERIFY = "/internal/v1/keys/verify";
    static final String USAGE = "/internal/v1/keys/usage";
    static final String TOPIC = "postgate.api-keys.v1";

    private KeyApi() {
    }

    /** A fresh organisation id, so that tests never share keys or the key limit. */
    static String newOrg() {
        return "org_" + UUID.randomUUID().toString().replace("-", "");
    }

    static RequestSpecification admin(String org) {
        return given().header("Authorization", "Bearer " + Tokens.admin(org));
    }

    static RequestSpecification member(String org) {
        return given().header("Authorization", "Bearer " + Tokens.member(org));
    }

    static RequestSpecification service() {
        return given().header("Authorization", "Bearer " + Tokens.service("publish-service"));
    }

    static Response post(String org, String path, String json) {
        return admin(org).contentType(ContentType.JSON).body(json).post(path);
    }

    /** Creates a key and returns {@code data} of the 201 answer (with the secret in {@code key}). */
    static Map<String, Object> create(String org, String json) {
        Response response = post(org, KEYS, json);
        assertEquals(201, response.statusCode(), response.asString());
        return data(response);
    }

    static Map<String, Object> create(String org) {
        return create(org, "{\"name\": \"test key\", \"preset\": \"full\"}");
    }

    static Map<String, Object> get(String org, String id) {
        Response response = member(org).get(KEYS + "/" + id);
        assertEquals(200, response.statusCode(), response.asString());
        return data(response);
    }

    static Map<String, Object> revoke(String org, String id) {
        Response response = admin(org).post(KEYS + "/" + id + "/revoke");
        assertEquals(200, response.statusCode(), response.asString());
        return data(response);
    }

    /** Rolls and returns {@code data} of the answer (the new key, with its secret). */
    static Map<String, Object> roll(String org, String id, long expireOldInSeconds) {
        Response response = post(org, KEYS + "/" + id + "/roll", "{\"expire_old_in_seconds\": " + expireOldInSeconds + "}");
        assertEquals(201, response.statusCode(), response.asString());
        return data(response);
    }

    static Response verify(String key) {
        return service().contentType(ContentType.JSON).body(Map.of("key", key)).post(VERIFY);
    }

    /** {@code data} of a 200 verify answer. */
    static Map<String, Object> verified(String key) {
        Response response = verify(key);
        assertEquals(200, response.statusCode(), response.asString());
        return data(response);
    }

    static List<Map<String, Object>> audit(String org, String id) {
        Response response = member(org).get(KEYS + "/" + id + "/audit");
        assertEquals(200, response.statusCode(), response.asString());
        return list(response);
    }

    /**
     * Sends {@code copies} identical requests released at the same moment (each on its own
     * thread, behind a latch) and returns the answers.
     */
    static List<HttpResponse<String>> race(int copies, String method, String path, String authorization, String json)
            throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(copies);
        try {
            CountDownLatch ready = new CountDownLatch(copies);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < copies; i++) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return client.send(request, HttpResponse.BodyHandlers.ofString());
                }));
            }
            if (!ready.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the racing threads did not start");
            }
            go.countDown();
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (Future<HttpResponse<String>> future : futures) {
                answers.add(future.get(120, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    static Map<String, Object> data(Response response) {
        return EnvelopeChecks.data(response);
    }

    static List<Map<String, Object>> list(Response response) {
        return EnvelopeChecks.list(response);
    }

    static Map<String, Object> meta(Response response) {
        return EnvelopeChecks.meta(response);
    }

    static String id(Map<String, Object> key) {
        return (String) key.get("id");
    }

    static String secret(Map<String, Object> key) {
        return (String) key.get("key");
    }
}
