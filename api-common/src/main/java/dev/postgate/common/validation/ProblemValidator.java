package dev.postgate.common.validation;

import java.lang.annotation.Annotation;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/**
 * A constraint's validator whose violation says what is wrong with the value ("is at most 100
 * characters", "is 'live' or 'test'": the end of a sentence that starts with the field's name)
 * instead of the annotation's fixed message. Null passes: {@code @NotNull} makes a field required.
 */
public abstract class ProblemValidator<A extends Annotation, T> implements ConstraintValidator<A, T> {

    /** What is wrong with {@code value} (never null), as the end of a sentence; null when nothing is. */
    protected abstract String problem(T value);

    @Override
    public final boolean isValid(T value, ConstraintValidatorContext context) {
        String problem = value == null ? null : problem(value);
        if (problem == null) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(problem).addConstraintViolation();
        return false;
    }
}
