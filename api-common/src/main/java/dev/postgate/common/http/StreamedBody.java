package dev.postgate.common.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The endpoint reads its request body itself, as it streams (uploads): {@link RequestBodies}
 * leaves the body alone, and an Idempotency-Key is claimed by the endpoint once it has hashed the
 * body ({@link dev.postgate.common.idempotency.Idempotency#claimStreamed}). The endpoint enforces
 * {@link HttpEdge#limit} on what it reads.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface StreamedBody {
}
