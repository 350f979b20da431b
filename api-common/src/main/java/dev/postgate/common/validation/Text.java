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

/**
 * A text field of a request body: at most {@link #max()} characters (code points, as sent or after
 * {@link Fields#trimmed}), only the control characters {@link #controls()} allows, valid Unicode.
 * Null passes: {@code @NotBlank} makes a field required.
 */
@Documented
@Constraint(validatedBy = TextValidator.class)
@Target({ FIELD, METHOD, PARAMETER, TYPE_USE })
@Retention(RUNTIME)
public @interface Text {
    int max();

    /** Which control characters the text may hold: none (names, titles) by default. */
    Controls controls() default Controls.NONE;

    String message() default "must be at most {max} characters, without control characters";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    enum Controls {
        /** One line of text: no control character. */
        NONE,
        /** Lines: line breaks (CR, LF) and tabs, no other control character. */
        LINES,
        /** Any control character (text stored and echoed exactly, as post content is). */
        ANY
    }
}
