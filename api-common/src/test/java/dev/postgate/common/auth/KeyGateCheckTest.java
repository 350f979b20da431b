package dev.postgate.common.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.junit.jupiter.api.Test;

import dev.postgate.common.http.RestEndpoints.Endpoint;

/** A service whose endpoints take API keys refuses to start without key-client, instead of answering 500. */
class KeyGateCheckTest {
    @Path("/api/v1/things")
    static class Things {
        @GET
        @ApiKeyAccess(scope = "things:read")
        public void list() {
        }

        @GET
        @Path("/open")
        public void open() {
        }
    }

    private static Endpoint endpoint(String method, String template) throws Exception {
        return new Endpoint(Things.class, Things.class.getMethod(method), "GET", template);
    }

    @Test
    void anEndpointThatTakesKeysNeedsTheKeyGate() throws Exception {
        List<Endpoint> endpoints = List.of(endpoint("open", "/api/v1/things/open"), endpoint("list", "/api/v1/things"));
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> KeyGateCheck.check(endpoints, false));
        assertEquals("GET /api/v1/things takes API keys, but this service has no key-client to admit them", refused.getMessage());
        assertDoesNotThrow(() -> KeyGateCheck.check(endpoints, true));
        assertDoesNotThrow(() -> KeyGateCheck.check(List.of(endpoint("open", "/api/v1/things/open")), false));
    }
}
