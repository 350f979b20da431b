package dev.postgate.common.idempotency;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.junit.jupiter.api.Test;

import dev.postgate.common.auth.ApiKeyAccess;
import dev.postgate.common.http.RestEndpoints.Endpoint;
import dev.postgate.common.http.StreamedBody;

/**
 * A service whose API-key POSTs read their body before the endpoint runs refuses to start unless
 * their class answers Idempotency-Key conflicts after the body's validation (SPEC section 4's order).
 */
class IdempotentPostsCheckTest {
    @Path("/api/v1/things")
    static class Things {
        @POST
        @ApiKeyAccess(scope = "things:write")
        public void create() {
        }

        @POST
        @Path("/upload")
        @StreamedBody
        @ApiKeyAccess(scope = "things:write")
        public void upload() {
        }

        @POST
        @Path("/internal")
        public void internal() {
        }
    }

    @IdempotentPosts
    @Path("/api/v1/checked")
    static class CheckedThings extends Things {
    }

    private static Endpoint post(Class<?> resource, String method, String template) throws Exception {
        return new Endpoint(resource, resource.getMethod(method), "POST", template);
    }

    @Test
    void anApiKeyPostThatReadsItsBodyNeedsItsClassMarked() throws Exception {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> Idempotency.checkEndpoints(List.of(post(Things.class, "internal", "/api/v1/things/internal"),
                        post(Things.class, "create", "/api/v1/things"))));
        assertEquals("POST /api/v1/things takes API keys and Idempotency-Key, but Things is not @IdempotentPosts", refused.getMessage());
        assertDoesNotThrow(() -> Idempotency.checkEndpoints(List.of(post(Things.class, "upload", "/api/v1/things/upload"),
                post(Things.class, "internal", "/api/v1/things/internal"))));
        assertDoesNotThrow(() -> Idempotency.checkEndpoints(List.of(post(CheckedThings.class, "create", "/api/v1/checked"))));
    }
}
