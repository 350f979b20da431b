package dev.postgate.common.idempotency;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

import dev.postgate.common.errors.ConflictException;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers the Idempotency-Key conflict {@link IdempotencyFilters#claim} found, once the REST layer
 * has read the body and Bean Validation has passed it: this interceptor runs inside Bean
 * Validation's ({@code PLATFORM_AFTER + 800}), just before the endpoint's own code.
 */
@IdempotentPosts
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_AFTER + 900)
public class ConflictAfterValidation {
    @Inject
    CurrentVertxRequest request;

    @AroundInvoke
    Object answer(InvocationContext invocation) throws Exception {
        RoutingContext rc = request.getCurrent();
        ConflictException conflict = rc == null ? null : rc.get(Idempotency.CONFLICT);
        if (conflict != null) {
            throw conflict;
        }
        return invocation.proceed();
    }
}
