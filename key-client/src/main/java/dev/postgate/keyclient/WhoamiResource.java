package dev.postgate.keyclient;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.postgate.common.auth.Caller;
import dev.postgate.common.auth.KeyIdentity;
import io.smallrye.mutiny.Uni;

/** {@code GET /api/v1/whoami}: the calling key, answered from the verified-key cache (no database, no network when warm). */
@Path("/api/v1/whoami")
@Tag(name = "API keys")
public class WhoamiResource {
    @Inject
    Caller caller;

    public record Whoami(String id, String name, String orgId, Set<String> scopes, List<String> workspaceIds, String mode,
            Instant expiresAt) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @ApiKeyAccess(scope = ApiKeyAccess.ANY_SCOPE)
    @Operation(summary = "The key this request was made with")
    public Uni<Whoami> whoami() {
        KeyIdentity key = caller.key();
        return Uni.createFrom().item(new Whoami(key.id(), key.name(), key.orgId(), key.scopes(), key.workspaceIds(),
                key.mode().wire(), key.expiresAt()));
    }
}
