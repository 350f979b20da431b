package dev.postgate.workspaces;

import static dev.postgate.common.testing.EnvelopeChecks.data;
import static dev.postgate.common.testing.EnvelopeChecks.number;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import dev.postgate.common.testing.KeyServiceResource;
import dev.postgate.common.testing.TestKeys;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.Tokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** workspace-service's API as dashboard users, API keys and services call it, for tests. */
public final class Api {
    public static final String WORKSPACES = "/api/v1/workspaces";
    public static final String ACCOUNTS = "/api/v1/accounts";
    public static final String CALENDAR = "/api/v1/calendar";
    public static final String ACCOUNT_CREDITS = "/api/v1/account/credits";
    public static final String RESERVATIONS = "/internal/v1/credits/reservations";
    public static final String WORKSPACES_TOPIC = "postgate.workspaces.v1";
    public static final String CREDITS_TOPIC = "postgate.credits.v1";

    private Api() {
    }

    public static String newOrg() {
        return TestKeys.newOrg();
    }

    public static RequestSpecification admin(String org) {
        return given().header("Authorization", "Bearer " + Tokens.admin(org));
    }

    public static RequestSpecification member(String org) {
        return given().header("Authorization", "Bearer " + Tokens.member(org));
    }

    public static RequestSpecification service() {
        return given().header("Authorization", "Bearer " + Tokens.service("publish-service"));
    }

    public static RequestSpecification key(IssuedKey key) {
        return given().header("Authorization", key.bearer());
    }

    /** A key with {@code key}'s org and these scopes, made by the real key-service. */
    public static IssuedKey newKey(String org, String... scopes) {
        return TestKeys.create(KeyServiceResource.url(), org, List.of(scopes));
    }

    /** A key limited to some workspaces. */
    public static IssuedKey newKey(String org, List<String> workspaceIds, String... scopes) {
        return TestKeys.create(KeyServiceResource.url(), org, Map.of("scopes", List.of(scopes), "workspace_ids", workspaceIds));
    }

    /** Creates a workspace as an admin and returns its id. */
    public static String createWorkspace(String org, String name) {
        Response response = admin(org).contentType(ContentType.JSON).body(Map.of("name", name)).post(WORKSPACES);
        assertEquals(201, response.statusCode(), response.asString());
        return (String) data(response).get("id");
    }

    public static Response grant(String org, String workspaceId, Object amount, String reason) {
        return admin(org).contentType(ContentType.JSON).body(Map.of("amount", amount, "reason", reason))
                .post(WORKSPACES + "/" + workspaceId + "/credits/grants");
    }

    /** Grants credits and returns the new balance. */
    public static long granted(String org, String workspaceId, long amount) {
        Response response = grant(org, workspaceId, amount, "test grant");
        assertEquals(201, response.statusCode(), response.asString());
        return number(data(response).get("balance"));
    }

    /** A workspace with this balance. */
    public static String workspaceWithBalance(String org, long balance) {
        String id = createWorkspace(org, "credits " + balance);
        if (balance > 0) {
            granted(org, id, balance);
        }
        return id;
    }

    public static long balance(String org, String workspaceId) {
        Response response = member(org).get(WORKSPACES + "/" + workspaceId);
        assertEquals(200, response.statusCode(), response.asString());
        return number(data(response).get("balance"));
    }

    public static Response connect(String org, String workspaceId, String platform, String name) {
        return admin(org).contentType(ContentType.JSON).body(Map.of("platform", platform, "name", name))
                .post(WORKSPACES + "/" + workspaceId + "/accounts");
    }

    /** Connects an account and returns its id. */
    public static String connected(String org, String workspaceId, String platform, String name) {
        Response response = connect(org, workspaceId, platform, name);
        assertEquals(201, response.statusCode(), response.asString());
        return (String) data(response).get("id");
    }

    public static Response reserve(String workspaceId, long amount, String idempotencyKey) {
        return reserve(Map.of("workspace_id", workspaceId, "amount", amount, "idempotency_key", idempotencyKey,
                "reference", "test"));
    }

    public static Response reserve(Object body) {
        return service().contentType(ContentType.JSON).body(body).post(RESERVATIONS);
    }

    public static Response settle(String reservationId) {
        return service().post(RESERVATIONS + "/" + reservationId + "/settle");
    }

    /** A settle with a body ({"amount": n} keeps n credits and refunds the rest). */
    public static Response settle(String reservationId, Object body) {
        return service().contentType(ContentType.JSON).body(body).post(RESERVATIONS + "/" + reservationId + "/settle");
    }

    public static Response refund(String reservationId) {
        return service().post(RESERVATIONS + "/" + reservationId + "/refund");
    }
}
