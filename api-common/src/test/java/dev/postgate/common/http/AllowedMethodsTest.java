package dev.postgate.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.junit.jupiter.api.Test;

import dev.postgate.common.api.ResourceMethods;

class AllowedMethodsTest {
    @Path("/api/v1")
    static class Content {
        @POST
        @Path("/content/generate")
        public void generate() {
        }

        @GET
        @Path("/content/{id}")
        public void get() {
        }
    }

    private static AllowedMethods allowed() throws Exception {
        List<RestEndpoints.Endpoint> endpoints = List.of(endpoint("generate", "POST"), endpoint("get", "GET"));
        AllowedMethods allowed = new AllowedMethods();
        allowed.rest = new RestEndpoints() {
            @Override
            public List<Endpoint> all() {
                return endpoints;
            }
        };
        allowed.config = new HttpConfig() {
            @Override
            public long maxBodyBytes() {
                return 1024;
            }

            @Override
            public Map<String, Long> bodyLimits() {
                return Map.of();
            }

            @Override
            public List<String> trustedProxies() {
                return List.of();
            }

            @Override
            public List<String> managementPaths() {
                return List.of("/q");
            }

            @Override
            public Optional<List<String>> staticPaths() {
                return Optional.of(List.of("/docs/"));
            }
        };
        allowed.add("/api/v1/whoami", "GET", "HEAD");
        allowed.add("/docs/sign-in", "POST");
        return allowed;
    }

    private static RestEndpoints.Endpoint endpoint(String name, String http) throws Exception {
        return new RestEndpoints.Endpoint(Content.class, Content.class.getMethod(name), http,
                ResourceMethods.template(Content.class, Content.class.getMethod(name)));
    }

    @Test
    void aPathTakesTheMethodsOfEveryTemplateItMatchesAndHeadBesideGet() throws Exception {
        AllowedMethods allowed = allowed();
        // The REST layer routes GET /content/generate to /content/{id}: both templates match.
        assertEquals(Optional.of("GET, HEAD, POST"), allowed.of("/api/v1/content/generate"));
        assertEquals(Optional.of("GET, HEAD"), allowed.of("/api/v1/content/cap_1"));
        assertEquals(Optional.of("GET, HEAD"), allowed.of("/api/v1/content/cap_1/"), "a trailing slash names the same path");
        assertEquals(Optional.of("GET, HEAD"), allowed.of("/api/v1/whoami"), "a route that answers on its own");
        assertEquals(Optional.empty(), allowed.of("/api/v1/nope"));
        assertEquals(Optional.empty(), allowed.of("/api/v1/content/cap_1/more"));
    }

    @Test
    void belowAReadOnlyPathAPathNoEndpointHasTakesGetAndHead() throws Exception {
        AllowedMethods allowed = allowed();
        assertEquals(Optional.of("GET, HEAD"), allowed.of("/docs"));
        assertEquals(Optional.of("GET, HEAD"), allowed.of("/docs/index.html"));
        assertEquals(Optional.of("GET, HEAD"), allowed.of("/q/health/ready"));
        assertEquals(Optional.of("POST"), allowed.of("/docs/sign-in"), "an endpoint below keeps its own methods");
        assertEquals(Optional.empty(), allowed.of("/docsx"), "a prefix covers whole segments");
        assertEquals(Optional.empty(), allowed.of("/quit"));
    }

    @Test
    void theEdgeRefusesOptionsEverywhereAndOtherMethodsBelowReadOnlyPaths() throws Exception {
        AllowedMethods allowed = allowed();
        for (String path : List.of("/api/v1/content/cap_1", "/api/v1/nope", "/docs/index.html", "/")) {
            assertTrue(allowed.refusedBeforeRouting(path, "OPTIONS"), path);
        }
        assertTrue(allowed.refusedBeforeRouting("/docs", "PUT"), "Swagger UI's handler would redirect it");
        assertTrue(allowed.refusedBeforeRouting("/docs/index.html", "POST"));
        assertTrue(allowed.refusedBeforeRouting("/q/health", "DELETE"), "the health handler would answer it as a GET");
        assertFalse(allowed.refusedBeforeRouting("/docs/index.html", "GET"));
        assertFalse(allowed.refusedBeforeRouting("/q/health", "HEAD"));
        assertFalse(allowed.refusedBeforeRouting("/docs/sign-in", "POST"), "an endpoint below takes its own method");
        assertTrue(allowed.refusedBeforeRouting("/docs/sign-in", "PUT"));
        assertFalse(allowed.refusedBeforeRouting("/api/v1/content/cap_1", "PUT"), "the REST layer answers its own paths");
        assertFalse(allowed.refusedBeforeRouting("/docsx", "PUT"));
    }

    @Test
    void aTemplateParameterMatchesOneSegmentAndTheRestIsLiteral() {
        Pattern key = AllowedMethods.compile("/api/v1/keys/{id}");
        assertTrue(key.matcher("/api/v1/keys/key_01J").matches());
        assertFalse(key.matcher("/api/v1/keys/key_01J/roll").matches());
        assertFalse(key.matcher("/api/v1/keys/").matches());
        Pattern dotted = AllowedMethods.compile("/api/v1/openapi.json");
        assertTrue(dotted.matcher("/api/v1/openapi.json").matches());
        assertFalse(dotted.matcher("/api/v1/openapiXjson").matches(), "a dot in a path is a dot");
    }
}
