package dev.postgate.common.api;

import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import dev.postgate.common.wire.WireName;

/**
 * A query parameter that names a constant of {@link #value()} by its wire name, read with
 * {@link QueryFilters#of} (anything else is 400, SPEC section 4): the API document lists the
 * enum's wire names as the parameter's values. Not a Bean Validation constraint, which would
 * answer 422 ({@code validation.OneOf} is the body fields' one).
 */
@Documented
@Target(PARAMETER)
@Retention(RUNTIME)
public @interface QueryOneOf {
    /** An enum implementing {@link WireName}: the one list, for the check, its 400 message and the document. */
    Class<? extends WireName> value();
}
