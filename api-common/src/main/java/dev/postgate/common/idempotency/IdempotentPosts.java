package dev.postgate.common.idempotency;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.interceptor.InterceptorBinding;

/**
 * The resource's API-key POSTs answer an {@code Idempotency-Key} conflict closer to SPEC section
 * 4's order: a repeat whose key was used for another request, or is still running, is 409
 * IDEMPOTENCY_CONFLICT only once the REST layer has read its body as JSON (400) and Bean
 * Validation has passed it (422), just before the endpoint's own code runs
 * ({@link ConflictAfterValidation}). What that code checks itself (a list's repeated ids, an end
 * before a start, whether the post a path names exists: 422 and 404) still comes after the 409.
 * Every resource class with an API-key POST that reads its body whole carries it (uploads, which
 * stream theirs, claim their key themselves): a service without it refuses to start
 * ({@link Idempotency#checkEndpoints}).
 */
@InterceptorBinding
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface IdempotentPosts {
}
