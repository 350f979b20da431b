package dev.postgate.common.validation;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/** Checks {@link Text}; the violation says which of its rules the value breaks. */
public class TextValidator implements ConstraintValidator<Text, String> {
    private int max;
    private Text.Controls controls;

    @Override
    public void initialize(Text text) {
        max = text.max();
        controls = text.controls();
    }

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        String problem = value == null ? null : problem(value, max, controls);
        if (problem == null) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(problem).addConstraintViolation();
        return false;
    }

    /**
     * What is wrong with {@code value} under the rule {@code @Text(max, controls)}, as the end of
     * a sentence that starts with the field's name; null when nothing is. For text that is not a
     * body field (an upload's name in a form).
     */
    public static String problem(String value, int max, Text.Controls controls) {
        if (value.codePointCount(0, value.length()) > max) {
            return "is at most " + max + " characters";
        }
        if (controls != Text.Controls.ANY && value.chars().anyMatch(c -> Character.isISOControl(c)
                && !(controls == Text.Controls.LINES && (c == '\n' || c == '\r' || c == '\t')))) {
            return "cannot contain control characters";
        }
        return TextRule.isAcceptable(value) ? null : "is not valid Unicode (an unpaired surrogate)";
    }
}
