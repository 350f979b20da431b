package dev.postgate.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.junit.jupiter.api.Test;

import dev.postgate.common.auth.ApiKeyAccess.WorkspaceRule;

/** What the filter enforces and the API document describes, read from a resource's annotations. */
class DeclaredAccessTest {

    @Path("/api/v1/things/")
    @DashboardAccess(Role.MEMBER)
    static class Things {
        @GET
        public void list() {
        }

        @GET
        @Path("/{id: [a-z_0-9]+}/parts/")
        @ApiKeyAccess(scope = "things:read", workspace = WorkspaceRule.REQUIRED)
        @DashboardAccess(Role.ADMIN)
        public void parts() {
        }
    }

    @Path("/internal/things")
    @ServiceAccess
    static class Internal {
        @GET
        @Path("{id}")
        public void one() {
        }
    }

    private static DeclaredAccess of(Class<?> type, String name) throws NoSuchMethodException {
        Method method = type.getMethod(name);
        return DeclaredAccess.of(method, type);
    }

    @Test
    void pathTemplateJoinsClassAndMethodPathsWithoutParameterPatterns() throws Exception {
        assertEquals("/api/v1/things", of(Things.class, "list").path());
        assertEquals("/api/v1/things/{id}/parts", of(Things.class, "parts").path());
        assertEquals("/internal/things/{id}", of(Internal.class, "one").path());
    }

    @Test
    void methodRulesWinOverTheClassAndKeysAreTakenOnlyWhereDeclared() throws Exception {
        DeclaredAccess list = of(Things.class, "list");
        assertEquals(Role.MEMBER, list.dashboard());
        assertFalse(list.apiKey());
        assertNull(list.scope());
        assertFalse(list.workspaceScoped());

        DeclaredAccess parts = of(Things.class, "parts");
        assertEquals(Role.ADMIN, parts.dashboard());
        assertTrue(parts.apiKey());
        assertTrue(parts.needsScope());
        assertEquals("things:read", parts.scope());
        assertTrue(parts.workspaceRequired());

        DeclaredAccess internal = of(Internal.class, "one");
        assertTrue(internal.service());
        assertFalse(internal.open());
    }
}
