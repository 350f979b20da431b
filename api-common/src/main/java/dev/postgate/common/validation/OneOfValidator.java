package dev.postgate.common.validation;

import java.util.List;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

import dev.postgate.common.wire.WireNames;

/** Checks {@link OneOf}; the violation names the values the field takes. */
public class OneOfValidator implements ConstraintValidator<OneOf, String> {
    private List<String> wires;
    private String alternatives;

    @Override
    public void initialize(OneOf oneOf) {
        wires = WireNames.wires(oneOf.value());
        alternatives = WireNames.alternatives(oneOf.value());
    }

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        if (value == null || wires.contains(value)) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate("is " + alternatives).addConstraintViolation();
        return false;
    }
}
