package dev.postgate.common.validation;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;

import org.openapitools.jackson.nullable.JsonNullable;

import dev.postgate.common.errors.ValidationException;
import dev.postgate.common.errors.ValidationException.FieldError;

/** Bean Validation's violations as SPEC section 4's 422 {@code fields}: JSON field paths, messages that name them. */
public final class Violations {
    /** The message of {@code @NotNull} on a required request body: a request without one is 422 naming {@code body}. */
    public static final String BODY_REQUIRED = "is required: send a JSON object";

    private Violations() {
    }

    /** 422 naming each of {@code values} that repeats an earlier one, at the path {@code field} gives its index. */
    public static void checkNoRepeats(List<String> values, IntFunction<String> field) {
        List<FieldError> repeated = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < values.size(); i++) {
            if (!seen.add(values.get(i))) {
                repeated.add(new FieldError(field.apply(i), "'" + values.get(i) + "' is listed twice."));
            }
        }
        if (!repeated.isEmpty()) {
            throw ValidationException.invalid(repeated);
        }
    }

    /** A violation and where its field stands in the body ({@link #declared}), found once. */
    private record Placed(List<Integer> position, ConstraintViolation<?> violation) {
    }

    /** The 422 for these violations, fields in path order. */
    public static ValidationException invalid(Set<? extends ConstraintViolation<?>> violations) {
        List<FieldError> fields = violations.stream()
                .map(v -> new Placed(declared(v), v))
                .sorted(Comparator.comparing(Placed::position, Violations::compare).thenComparing(p -> p.violation().getMessage()))
                .map(p -> {
                    String field = FieldPath.orBody(FieldPath.of(p.violation().getPropertyPath()));
                    return new FieldError(field, field + " " + p.violation().getMessage() + ".");
                })
                .toList();
        return ValidationException.invalid(fields);
    }

    /**
     * Where the violated field stands in the body: at each level of its path, the position of the
     * record component (or list element) it goes through. Fields are named in the order the body
     * declares them, nested ones where their parent stands.
     */
    private static List<Integer> declared(ConstraintViolation<?> v) {
        List<Integer> position = new ArrayList<>();
        Object current = v.getExecutableParameters() == null ? v.getRootBean() : null;
        for (Path.Node node : v.getPropertyPath()) {
            if (node.getKind() == ElementKind.PARAMETER) {
                current = v.getExecutableParameters()[node.as(Path.ParameterNode.class).getParameterIndex()];
                continue;
            }
            if (node.getKind() != ElementKind.PROPERTY && node.getKind() != ElementKind.CONTAINER_ELEMENT) {
                continue;
            }
            if (node.isInIterable() && node.getIndex() != null) {
                position.add(node.getIndex());
                current = current instanceof List<?> list && node.getIndex() < list.size() ? list.get(node.getIndex()) : null;
            }
            if (node.getKind() == ElementKind.PROPERTY) {
                RecordComponent[] components = current == null || !current.getClass().isRecord() ? new RecordComponent[0]
                        : current.getClass().getRecordComponents();
                int index = components.length;
                for (int i = 0; i < components.length; i++) {
                    if (components[i].getName().equals(node.getName())) {
                        index = i;
                    }
                }
                position.add(index);
                current = index < components.length ? value(components[index], current) : null;
            }
        }
        return position;
    }

    private static Object value(RecordComponent component, Object record) {
        try {
            Object value = component.getAccessor().invoke(record);
            return value instanceof JsonNullable<?> field ? field.orElse(null) : value;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static int compare(List<Integer> a, List<Integer> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Integer.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
