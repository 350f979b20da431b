package dev.postgate.keys.docs;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.postgate.common.http.BuiltFiles;

/**
 * The one API document of all three services (SPEC section 9), served raw. It is built from the
 * services' own documents (integration-tests' ApiDocumentTest merges them and checks that this
 * copy, packaged from src/main/resources/api-document, is the same); key-service serves it because
 * the proxy routes /api/v1/openapi.* here.
 */
@Path("/api/v1")
@Tag(name = "API document")
public class ApiDocumentResource {
    static final String JSON = "/api-document/openapi.json";
    static final String YAML = "/api-document/openapi.yaml";
    static final String YAML_TYPE = "application/yaml";

    private final byte[] json = BuiltFiles.read(JSON);
    private final byte[] yaml = BuiltFiles.read(YAML);

    @GET
    @Path("/openapi.json")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "This document (OpenAPI 3.0.3, JSON)")
    public Response json() {
        return Response.ok(json, MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-cache").build();
    }

    @GET
    @Path("/openapi.yaml")
    @Produces(YAML_TYPE)
    @Operation(summary = "This document (OpenAPI 3.0.3, YAML)")
    public Response yaml() {
        return Response.ok(yaml, YAML_TYPE).header("Cache-Control", "no-cache").build();
    }
}
