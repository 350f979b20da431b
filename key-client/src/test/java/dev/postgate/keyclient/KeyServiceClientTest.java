package dev.postgate.keyclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.postgate.common.client.InternalApi.Unreachable;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** key-service's verify answer read back: only an active key is let through. */
class KeyServiceClientTest {
    private static JsonObject answer(String status) {
        return new JsonObject().put("id", "key_1").put("org_id", "org_1").put("name", "ci").put("seq", 3)
                .put("scopes", new JsonArray(List.of("posts:read"))).put("workspace_ids", null).put("mode", "live")
                .put("status", status).put("expires_at", null);
    }

    @Test
    void anActiveKeyIsUsableAndRevokedOrExpiredOnesAreRefused() {
        assertEquals(KeyVerdict.Kind.USABLE, KeyServiceClient.verdict(200, answer("active")).kind());
        assertEquals(KeyVerdict.Kind.REVOKED, KeyServiceClient.verdict(200, answer("revoked")).kind());
        assertEquals(KeyVerdict.Kind.EXPIRED, KeyServiceClient.verdict(200, answer("expired")).kind());
        assertEquals(KeyVerdict.Kind.UNKNOWN, KeyServiceClient.verdict(404, null).kind());
    }

    @Test
    void aStatusThisServiceDoesNotKnowNeverLetsTheKeyThrough() {
        for (String status : new String[] { "suspended", "ACTIVE", "" }) {
            assertThrows(Unreachable.class, () -> KeyServiceClient.verdict(200, answer(status)), status);
        }
        assertThrows(Unreachable.class, () -> KeyServiceClient.verdict(200, answer(null)));
    }

    @Test
    void anExpiryThisServiceCannotReadIsNeitherAFailureOfTheRequestNorNoExpiry() {
        assertEquals(Instant.parse("2030-01-01T00:00:00Z"),
                KeyServiceClient.verdict(200, answer("active").put("expires_at", "2030-01-01T00:00:00Z")).expiresAt());
        for (String expiry : new String[] { "soon", "2030-01-01T00:00:00", "" }) {
            assertThrows(Unreachable.class, () -> KeyServiceClient.verdict(200, answer("active").put("expires_at", expiry)), expiry);
        }
    }
}
