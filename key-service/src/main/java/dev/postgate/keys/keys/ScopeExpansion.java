package dev.postgate.keys.keys;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.postgate.common.errors.ValidationException;
import dev.postgate.common.errors.ValidationException.FieldError;
import dev.postgate.common.keys.Scopes;

/**
 * Turns a create request's {@code scopes} (canonical names and the coarse aliases {@code read},
 * {@code write}, {@code ai}) and {@code preset} ({@code full}, {@code draft}, {@code read_only})
 * into the sorted set of canonical scopes the key gets (SPEC section 2).
 */
public final class ScopeExpansion {
    static final Map<String, Set<String>> PRESETS = Map.of(
            "full", new TreeSet<>(Scopes.ALL),
            "draft", without(Scopes.ALL, Scopes.POSTS_PUBLISH),
            "read_only", Scopes.reads());

    static final Map<String, Set<String>> ALIASES = Map.of(
            "read", Scopes.reads(),
            "write", new TreeSet<>(List.of(Scopes.POSTS_WRITE, Scopes.POSTS_PUBLISH, Scopes.MEDIA_WRITE, Scopes.CALENDAR_WRITE)),
            "ai", new TreeSet<>(List.of(Scopes.IMAGES_GENERATE)));

    private ScopeExpansion() {
    }

    /** Each preset's canonical scopes, sorted, by preset name, widest first: what the dashboard offers as its presets. */
    public static Map<String, List<String>> presets() {
        Map<String, List<String>> presets = new LinkedHashMap<>();
        PRESETS.entrySet().stream().sorted((a, b) -> b.getValue().size() - a.getValue().size())
                .forEach(preset -> presets.put(preset.getKey(), List.copyOf(new TreeSet<>(preset.getValue()))));
        return presets;
    }

    public static Set<String> expand(List<String> scopes, String preset) {
        Set<String> result = new TreeSet<>();
        List<FieldError> errors = new ArrayList<>();
        if (scopes != null) {
            for (int i = 0; i < scopes.size(); i++) {
                String scope = scopes.get(i);
                if (scope != null && Scopes.ALL.contains(scope)) {
                    result.add(scope);
                } else if (scope != null && ALIASES.containsKey(scope)) {
                    result.addAll(ALIASES.get(scope));
                } else {
                    errors.add(new FieldError("scopes[" + i + "]", "Unknown scope '" + scope + "'. Known scopes: "
                            + String.join(", ", Scopes.ALL) + "; aliases: " + String.join(", ", new TreeSet<>(ALIASES.keySet())) + "."));
                }
            }
        }
        if (preset != null) {
            Set<String> expanded = PRESETS.get(preset);
            if (expanded == null) {
                errors.add(new FieldError("preset", "Unknown preset '" + preset + "'. Presets: " + String.join(", ", new TreeSet<>(PRESETS.keySet())) + "."));
            } else {
                result.addAll(expanded);
            }
        }
        if (!errors.isEmpty()) {
            throw ValidationException.invalid(errors);
        }
        if (result.isEmpty()) {
            throw ValidationException.invalid("scopes", "A key needs at least one scope: give scopes, a preset, or both.");
        }
        return result;
    }

    private static Set<String> without(List<String> all, String removed) {
        Set<String> set = new TreeSet<>(all);
        set.remove(removed);
        return set;
    }
}
