package dev.postgate.common.validation;

import jakarta.inject.Singleton;
import jakarta.validation.valueextraction.ExtractedValue;
import jakarta.validation.valueextraction.UnwrapByDefault;
import jakarta.validation.valueextraction.ValueExtractor;

import org.openapitools.jackson.nullable.JsonNullable;

/**
 * Lets Bean Validation check the value of a PATCH field ({@code JsonNullable<@Text(max = 200) String>}):
 * a field sent is validated, null included; one left out is not.
 */
@Singleton
@UnwrapByDefault
public class PatchedValues implements ValueExtractor<JsonNullable<@ExtractedValue ?>> {
    @Override
    public void extractValues(JsonNullable<?> field, ValueReceiver receiver) {
        if (field.isPresent()) {
            receiver.value(null, field.get());
        }
    }
}
