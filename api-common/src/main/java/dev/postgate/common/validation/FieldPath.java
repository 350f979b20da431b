package dev.postgate.common.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.validation.ElementKind;
import jakarta.validation.Path;

import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * A field of a request body as the body names it, the way the 4xx {@code fields} list and
 * messages name it: names joined by dots, list positions in brackets ({@code items[0].key_id}),
 * "" for the body itself. One builder for the three places a field is reported from: where Jackson
 * stopped mapping, where the text rule found a refused token, and a Bean Validation violation.
 */
public final class FieldPath {
    private final StringBuilder path = new StringBuilder();

    private FieldPath() {
    }

    /** Where Jackson stopped reading a body. */
    public static String of(JsonMappingException e) {
        FieldPath field = new FieldPath();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                field.name(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                field.index(ref.getIndex());
            }
        }
        return field.toString();
    }

    /** The field a token being parsed belongs to. */
    static String of(JsonStreamContext context) {
        List<JsonStreamContext> chain = new ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            chain.add(0, c);
        }
        FieldPath field = new FieldPath();
        for (JsonStreamContext c : chain) {
            if (c.inArray()) {
                field.index(Math.max(c.getCurrentIndex(), 0));
            } else if (c.getCurrentName() != null) {
                field.name(c.getCurrentName());
            }
        }
        return field.toString();
    }

    /**
     * The field of a violation: the method and parameter of a validated call are left out, and
     * the record's camelCase component names become the body's snake_case.
     */
    static String of(Path violation) {
        FieldPath field = new FieldPath();
        for (Path.Node node : violation) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.PARAMETER
                    || node.getKind() == ElementKind.CONSTRUCTOR || node.getKind() == ElementKind.CROSS_PARAMETER
                    || node.getKind() == ElementKind.RETURN_VALUE) {
                continue;
            }
            if (node.isInIterable() && node.getIndex() != null) {
                field.index(node.getIndex());
            } else if (node.isInIterable() && node.getKey() != null) {
                field.index(node.getKey());
            }
            String name = node.getName();
            if (name != null && !name.startsWith("<")) {
                field.name(name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT));
            }
        }
        return field.toString();
    }

    /** The name a 4xx's {@code fields} list gives a field: its path, or {@code body} for the body itself. */
    static String orBody(String path) {
        return path.isEmpty() ? "body" : path;
    }

    private void name(String name) {
        if (!path.isEmpty()) {
            path.append('.');
        }
        path.append(name);
    }

    private void index(Object index) {
        path.append('[').append(index).append(']');
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
