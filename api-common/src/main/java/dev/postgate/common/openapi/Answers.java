package dev.postgate.common.openapi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What the API document cannot read from a resource method's signature: the success status it
 * chooses in its body ({@code RestResponse.status(CREATED, …)}: 201 for creates, 202 where work
 * continues in the background) and whether it spends credits (402, {@code X-Credits-*}). Every
 * POST that builds its own response must state its status here, or the build of the document fails.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Answers {
    /** The success status: 200, 201 or 202 (nothing answers 204). */
    int value();

    /** True when the call spends credits: 402 INSUFFICIENT_CREDITS, X-Credits-Cost and X-Credits-Remaining. */
    boolean spendsCredits() default false;
}
