package dev.postgate.workspaces.credits;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.math.BigDecimal;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.validation.Constraint;
import jakarta.validation.Payload;

import dev.postgate.common.validation.ProblemValidator;

/**
 * A credit {@link Amount}: a whole number from {@link #min()} to the largest one change may carry
 * ({@code postgate.credits.max-amount}). Null passes: {@code @NotNull} makes it required.
 */
@Documented
@Constraint(validatedBy = WholeCredits.Validator.class)
@Target({ FIELD, METHOD, PARAMETER, TYPE_USE })
@Retention(RUNTIME)
public @interface WholeCredits {
    long min() default 1;

    String message() default "must be a whole number of credits";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Checks {@link WholeCredits} against the service's configured maximum. */
    @Dependent
    class Validator extends ProblemValidator<WholeCredits, Amount> {
        /** Looked up when a body is validated: Hibernate Validator builds its validators before configuration is read. */
        @Inject
        Provider<CreditsConfig> config;

        private long min;

        @Override
        public void initialize(WholeCredits constraint) {
            min = constraint.min();
        }

        @Override
        protected String problem(Amount amount) {
            return problem(amount, min, config.get().maxAmount());
        }

        static String problem(Amount amount, long min, long max) {
            String rule = "must be a whole number from " + min + " to " + max;
            BigDecimal number = amount.number();
            // A scale at or below zero is a whole number already; stripping its zeros could only push the scale past an int's range.
            if (number.signum() > 0 && number.scale() > 0 && number.stripTrailingZeros().scale() > 0) {
                return rule + "; fractions of a credit do not exist";
            }
            if (number.compareTo(BigDecimal.valueOf(min)) < 0 || number.compareTo(BigDecimal.valueOf(max)) > 0) {
                return rule;
            }
            return null;
        }
    }
}
