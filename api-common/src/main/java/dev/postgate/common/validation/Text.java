package dev.postgate.common.validation;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

import dev.postgate.common.keys.KeyRedaction;

/**
 * A text field of a request body: at most {@link #max()} characters (code points) of valid Unicode.
 * Any other character, control characters and surrounding blanks included, is stored and echoed
 * exactly (SPEC section 4). Null passes: {@code @NotBlank} makes a field required.
 * <p>
 * Beyond SPEC section 4: text that everyone in an organisation or a workspace reads
 * ({@link #shownToAll()}: a key's, a workspace's or a social account's name, a credit grant's
 * reason, a calendar entry's title and notes) may not hold a key of any brand with its whole
 * random part (SPEC section 2): a key pasted there by mistake would be shown to people who may
 * never see a secret.
 */
@Documented
@Constraint(validatedBy = Text.Validator.class)
@Target({ FIELD, METHOD, PARAMETER, TYPE_USE })
@Retention(RUNTIME)
public @interface Text {
    int max();

    /** Read by every member of the organisation or key holder of the workspace (names, a grant's reason, calendar text): no key in it. */
    boolean shownToAll() default false;

    String message() default "must be at most {max} characters";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Checks {@link Text}; the violation says which of its rules the value breaks. */
    class Validator extends ProblemValidator<Text, String> {
        private int max;
        private boolean shownToAll;

        @Override
        public void initialize(Text text) {
            max = text.max();
            shownToAll = text.shownToAll();
        }

        @Override
        protected String problem(String value) {
            String problem = problem(value, max);
            if (problem == null && shownToAll && KeyRedaction.holdsAWholeKey(value)) {
                return "holds what looks like an API key: this text is shown to everyone in the organisation";
            }
            return problem;
        }

        /**
         * What is wrong with {@code value} under the rule {@code @Text(max)}, as the end of a
         * sentence that starts with the field's name; null when nothing is. For text that is not a
         * body field (an upload's name in a form).
         */
        public static String problem(String value, int max) {
            if (value.codePointCount(0, value.length()) > max) {
                return "is at most " + max + " characters";
            }
            return TextRule.isAcceptable(value) ? null : "is not valid Unicode (an unpaired surrogate)";
        }
    }
}
