package dev.postgate.common.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class AllowedMethodsTest {
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
