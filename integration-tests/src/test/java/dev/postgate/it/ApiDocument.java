package dev.postgate.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import dev.postgate.common.testing.PostgateInfra;

/**
 * The one API document (SPEC section 9), built from the three services' own documents (each
 * service's build stores its document, already made true to the wire by
 * dev.postgate.common.openapi.ApiDocumentFilter, in {@code <service>/target/openapi}) and from
 * overview.yaml (what the document says about the whole API). A path served by two services
 * (whoami) must be documented the same by both, as must a schema of the same name.
 * <p>
 * key-service is built before the other services (their tests run it), so it cannot package a
 * document made from theirs: it serves the copy in
 * {@code key-service/src/main/resources/api-document}, and ApiDocumentTest fails the build when
 * that copy is not this document (and rewrites it with {@code -Dpostgate.api-document.update=true}).
 */
final class ApiDocument {
    static final List<String> SERVICES = List.of("key-service", "workspace-service", "publish-service");
    static final String SERVED = "key-service/src/main/resources/api-document";
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

    final ObjectNode document;
    final List<String> problems;

    private ApiDocument(ObjectNode document, List<String> problems) {
        this.document = document;
        this.problems = problems;
    }

    static Path root() {
        return PostgateInfra.repositoryRoot();
    }

    /** Each service's stored document. */
    static Path serviceDocument(String service) {
        return root().resolve(service).resolve("target/openapi/openapi.json");
    }

    static ApiDocument build() throws IOException {
        List<String> problems = new ArrayList<>();
        ObjectNode overview;
        try (InputStream in = ApiDocument.class.getResourceAsStream("/api-document/overview.yaml")) {
            overview = (ObjectNode) YAML.readTree(in);
        }
        Map<String, JsonNode> paths = new TreeMap<>();
        Map<String, JsonNode> schemas = new TreeMap<>();
        Map<String, JsonNode> securitySchemes = new TreeMap<>();
        Set<String> operationIds = new LinkedHashSet<>();
        Set<String> tags = new LinkedHashSet<>();
        for (String service : SERVICES) {
            Path file = serviceDocument(service);
            if (!Files.isRegularFile(file)) {
                problems.add(file + " is missing: build " + service + " first");
                continue;
            }
            JsonNode doc = JSON.readTree(file.toFile());
            if (!"3.0.3".equals(doc.path("openapi").asText())) {
                problems.add(service + ": OpenAPI " + doc.path("openapi").asText() + ", not 3.0.3");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("paths").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> path = it.next();
                ObjectNode merged = (ObjectNode) paths.computeIfAbsent(path.getKey(), k -> JSON.createObjectNode());
                for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext();) {
                    Map.Entry<String, JsonNode> op = ops.next();
                    JsonNode seen = merged.get(op.getKey());
                    if (seen == null) {
                        merged.set(op.getKey(), op.getValue());
                        String id = op.getValue().path("operationId").asText();
                        if (!operationIds.add(id)) {
                            problems.add("operationId " + id + " is used twice");
                        }
                        op.getValue().path("tags").forEach(t -> tags.add(t.asText()));
                    } else if (!seen.equals(op.getValue())) {
                        problems.add(op.getKey().toUpperCase() + " " + path.getKey() + " is documented differently by "
                                + service + " and a service before it");
                    }
                }
            }
            merge(doc.path("components").path("schemas"), schemas, "schema", service, problems);
            merge(doc.path("components").path("securitySchemes"), securitySchemes, "security scheme", service, problems);
        }

        ObjectNode document = JSON.createObjectNode();
        document.put("openapi", "3.0.3");
        document.set("info", overview.get("info"));
        document.set("servers", overview.get("servers"));
        Set<String> described = new LinkedHashSet<>();
        overview.path("tags").forEach(t -> described.add(t.path("name").asText()));
        for (String tag : tags) {
            if (!described.contains(tag)) {
                problems.add("tag '" + tag + "' is not described in integration-tests/src/test/resources/api-document/overview.yaml");
            }
        }
        document.set("tags", overview.get("tags"));
        ObjectNode pathsNode = document.putObject("paths");
        paths.forEach((path, operations) -> {
            ObjectNode ordered = pathsNode.putObject(path);
            for (String method : METHODS) {
                if (operations.has(method)) {
                    ordered.set(method, operations.get(method));
                }
            }
        });
        ObjectNode components = document.putObject("components");
        ObjectNode schemaNode = components.putObject("schemas");
        schemas.forEach(schemaNode::set);
        ObjectNode securityNode = components.putObject("securitySchemes");
        securitySchemes.forEach(securityNode::set);
        return new ApiDocument(document, problems);
    }

    private static void merge(JsonNode from, Map<String, JsonNode> into, String kind, String service, List<String> problems) {
        for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode seen = into.putIfAbsent(entry.getKey(), entry.getValue());
            if (seen != null && !seen.equals(entry.getValue())) {
                problems.add(kind + " " + entry.getKey() + " of " + service + " differs from the one of another service "
                        + "(rename one of the classes)");
            }
        }
    }

    String json() throws IOException {
        return JSON.writeValueAsString(document) + "\n";
    }

    String yaml() throws IOException {
        return YAML.writeValueAsString(document);
    }

    /** Writes both forms to {@code dir}. */
    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("openapi.json"), json(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("openapi.yaml"), yaml(), StandardCharsets.UTF_8);
    }
}
