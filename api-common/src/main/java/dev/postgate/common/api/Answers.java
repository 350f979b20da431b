package dev.postgate.common.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a resource method answers that its signature cannot say: the success status it chooses in
 * its body ({@code RestResponse.status(CREATED, …)}: 201 for creates, 202 where work continues in
 * the background), whether it spends credits (402, {@code X-Credits-*}) and where a created
 * resource can be read. The API document is written from it, and every POST that builds its own
 * response must state its status here, or the build of the document fails.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Answers {
    /** The success status: 200, 201 or 202 (nothing answers 204). */
    int value();

    /** True when the call spends credits: 402 INSUFFICIENT_CREDITS, X-Credits-Cost and X-Credits-Remaining. */
    boolean spendsCredits() default false;

    /**
     * For a 201: the path at which the created resource is read, {@code {id}} standing for the
     * answer's id ({@link Identified}), e.g. {@code /api/v1/keys/{id}}; the answer then carries it
     * as {@code Location} ({@link CreatedLocations}). The API document's build requires it on every
     * 201 that answers an {@link Identified} view or a {@code Response}, and leaves it out where
     * nothing created can be read on its own (a credit grant answers the balance).
     */
    String location() default "";

    /**
     * The operation's 409 codes, as {@code "CODE: when"}: CONFLICT with the states that refuse it,
     * the key limit of a key's create. The API document lists them, and IDEMPOTENCY_CONFLICT where
     * an Idempotency-Key is taken; an operation that declares none and takes no key documents no 409.
     */
    String[] conflicts() default {};

    /**
     * The operation's own 413 cases, as {@code "PAYLOAD_TOO_LARGE: when"} (an upload past the
     * workspace's storage quota); the API document lists them before the body limit every write has.
     */
    String[] tooLarge() default {};

    /**
     * The operation's own 429 cases, as {@code "RATE_LIMITED: when"} (a workspace's concurrent
     * uploads or downloads); the API document lists them before the key's rate limit every API-key
     * operation has.
     */
    String[] rateLimited() default {};
}
