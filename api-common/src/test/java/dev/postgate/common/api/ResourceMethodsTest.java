package dev.postgate.common.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.junit.jupiter.api.Test;

class ResourceMethodsTest {
    @Path("api/v1/things/")
    static class Things {
        @GET
        public void list() {
        }

        @POST
        @Path("/{id}/roll")
        public void roll() {
        }

        @PATCH
        @Path("{id: [a-z]+}")
        public void update() {
        }

        public void helper() {
        }
    }

    @Test
    void classAndMethodPathsJoinWithOneSlashAndNoParameterRegex() throws Exception {
        assertEquals("/api/v1/things", ResourceMethods.template(Things.class, Things.class.getMethod("list")));
        assertEquals("/api/v1/things/{id}/roll", ResourceMethods.template(Things.class, Things.class.getMethod("roll")));
        assertEquals("/api/v1/things/{id}", ResourceMethods.template(Things.class, Things.class.getMethod("update")));
    }

    @Test
    void theHttpMethodIsTheAnnotationMarkedWithHttpMethod() throws Exception {
        assertEquals("GET", ResourceMethods.httpMethod(Things.class.getMethod("list")));
        assertEquals("PATCH", ResourceMethods.httpMethod(Things.class.getMethod("update")));
        assertNull(ResourceMethods.httpMethod(Things.class.getMethod("helper")));
    }
}
