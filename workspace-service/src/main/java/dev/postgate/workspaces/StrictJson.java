package dev.postgate.workspaces;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * JSON strictness beyond api-common's JsonSettings, both answered 400 as malformed JSON: an
 * object that names a field twice ({"name": "x", "name": "y"}; without this Jackson fails on
 * records with an InvalidDefinitionException, which Quarkus's own mapper turns into a bare 500),
 * and anything after the JSON value ({"name": "x"} trailing). Belongs in JsonSettings; kept here
 * until it moves there.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }
}
