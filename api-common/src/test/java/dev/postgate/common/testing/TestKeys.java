package dev.postgate.common.testing;

import static io.restassured.RestAssured.given;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Creates and revokes real API keys through a running key-service, as a dashboard admin would. */
public final class TestKeys {
    private TestKeys() {
    }

    /** A key made by key-service: its id and its secret (shown once). */
    public record IssuedKey(String id, String secret, String orgId) {
        public String bearer() {
            return "Bearer " + secret;
        }
    }

    public static IssuedKey create(String keyServiceUrl, String orgId, List<String> scopes) {
        return create(keyServiceUrl, orgId, Map.of("name", "test key", "scopes", scopes));
    }

    public static IssuedKey create(String keyServiceUrl, String orgId, Map<String, Object> body) {
        Map<String, Object> request = new LinkedHashMap<>(body);
        request.putIfAbsent("name", "test key");
        Response response = given().baseUri(keyServiceUrl)
                .header("Authorization", "Bearer " + Tokens.admin(orgId))
                .contentType(ContentType.JSON).body(request)
                .post("/api/v1/keys");
        if (response.statusCode() != 201) {
            throw new IllegalStateException("key-service refused to create a key: " + response.asString());
        }
        return new IssuedKey(response.path("data.id"), response.path("data.key"), orgId);
    }

    public static void revoke(String keyServiceUrl, IssuedKey key) {
        Response response = given().baseUri(keyServiceUrl)
                .header("Authorization", "Bearer " + Tokens.admin(key.orgId()))
                .post("/api/v1/keys/" + key.id() + "/revoke");
        if (response.statusCode() != 200) {
            throw new IllegalStateException("key-service refused to revoke: " + response.asString());
        }
    }

    public static void rename(String keyServiceUrl, IssuedKey key, String name) {
        Response response = given().baseUri(keyServiceUrl)
                .header("Authorization", "Bearer " + Tokens.admin(key.orgId()))
                .contentType(ContentType.JSON).body(Map.of("name", name))
                .patch("/api/v1/keys/" + key.id());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("key-service refused to rename: " + response.asString());
        }
    }

    public static String newOrg() {
        return "org_" + dev.postgate.common.api.Ids.ulid();
    }
}
