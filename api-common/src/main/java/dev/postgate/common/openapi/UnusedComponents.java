package dev.postgate.common.openapi;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Drops the schemas no operation reaches any more: what the scanner made for the wrappers the
 * filter replaced (Page&lt;T&gt;, Jackson's JsonNode…) and for internal paths.
 */
final class UnusedComponents {
    private UnusedComponents() {
    }

    static void remove(OpenAPI api) {
        if (api.getComponents() == null || api.getComponents().getSchemas() == null) {
            return;
        }
        Map<String, Schema> schemas = api.getComponents().getSchemas();
        Deque<Schema> pending = new ArrayDeque<>();
        if (api.getPaths() != null) {
            for (PathItem item : api.getPaths().getPathItems().values()) {
                for (Operation operation : item.getOperations().values()) {
                    if (operation.getParameters() != null) {
                        for (Parameter parameter : operation.getParameters()) {
                            add(pending, parameter.getSchema());
                        }
                    }
                    if (operation.getRequestBody() != null) {
                        add(pending, operation.getRequestBody().getContent());
                    }
                    if (operation.getResponses() != null && operation.getResponses().getAPIResponses() != null) {
                        for (APIResponse response : operation.getResponses().getAPIResponses().values()) {
                            add(pending, response.getContent());
                            if (response.getHeaders() != null) {
                                response.getHeaders().values().forEach(h -> add(pending, h.getSchema()));
                            }
                        }
                    }
                }
            }
        }
        Set<String> used = new HashSet<>();
        while (!pending.isEmpty()) {
            Schema schema = pending.pop();
            if (schema.getRef() != null) {
                String name = EnvelopeSchemas.refName(schema.getRef());
                if (used.add(name) && schemas.containsKey(name)) {
                    pending.push(schemas.get(name));
                }
            }
            if (schema.getProperties() != null) {
                schema.getProperties().values().forEach(s -> add(pending, s));
            }
            add(pending, schema.getItems());
            add(pending, schema.getAdditionalPropertiesSchema());
            add(pending, schema.getNot());
            for (List<Schema> group : new ArrayList<>(List.of(nonNull(schema.getAllOf()), nonNull(schema.getAnyOf()),
                    nonNull(schema.getOneOf())))) {
                group.forEach(s -> add(pending, s));
            }
        }
        for (String name : new ArrayList<>(schemas.keySet())) {
            if (!used.contains(name)) {
                api.getComponents().removeSchema(name);
            }
        }
    }

    private static List<Schema> nonNull(List<Schema> list) {
        return list == null ? List.of() : list;
    }

    private static void add(Deque<Schema> pending, Schema schema) {
        if (schema != null) {
            pending.push(schema);
        }
    }

    private static void add(Deque<Schema> pending, Content content) {
        if (content != null && content.getMediaTypes() != null) {
            for (MediaType media : content.getMediaTypes().values()) {
                add(pending, media.getSchema());
            }
        }
    }
}
