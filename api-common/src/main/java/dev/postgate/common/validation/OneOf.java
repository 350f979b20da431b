package dev.postgate.common.validation;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.util.List;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

import dev.postgate.common.wire.WireName;
import dev.postgate.common.wire.WireNames;

/**
 * A text field of a request body that names a constant of {@link #value()} (an enum of {@link
 * WireName}) by its wire name: the enum is the one list, for the check, its 422 message ("is
 * 'live' or 'test'") and the API document's {@code enum}. Null passes: {@code @NotNull} makes a
 * field required.
 */
@Documented
@Constraint(validatedBy = OneOf.Validator.class)
@Target({ FIELD, METHOD, PARAMETER, TYPE_USE })
@Retention(RUNTIME)
public @interface OneOf {
    /** An enum implementing {@link WireName}. */
    Class<? extends WireName> value();

    String message() default "is not one of the values this field takes";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Checks {@link OneOf}; the violation names the values the field takes. */
    class Validator extends ProblemValidator<OneOf, String> {
        private List<String> wires;
        private String alternatives;

        @Override
        public void initialize(OneOf oneOf) {
            wires = WireNames.wires(oneOf.value());
            alternatives = WireNames.alternatives(oneOf.value());
        }

        @Override
        protected String problem(String value) {
            return wires.contains(value) ? null : "is " + alternatives;
        }
    }
}
