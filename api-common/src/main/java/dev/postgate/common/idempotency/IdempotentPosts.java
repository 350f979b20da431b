package dev.postgate.common.idempotency;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.interceptor.InterceptorBinding;

/**
 * The resource's API-key POSTs answer an {@code Idempotency-Key} conflict in SPEC section 4's
 * order: a repeat whose key was used for another request, or is still running, is 409
 * IDEMPOTENCY_CONFLICT only once its body has been read and validated, so a malformed or invalid
 * body is 400/422 as it would be without the key ({@link ConflictAfterValidation}). Every
 * resource class with an API-key POST that does not stream its body carries it: a service
 * without it refuses to start ({@link Idempotency#checkEndpoints}).
 */
@InterceptorBinding
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface IdempotentPosts {
}
