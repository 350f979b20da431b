package dev.postgate.common.http;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import dev.postgate.common.errors.ApiException;
import dev.postgate.common.errors.DependencyFailures;
import dev.postgate.common.errors.NotFoundException;
import dev.postgate.common.errors.PgStates;
import dev.postgate.common.errors.RetryAfter;
import dev.postgate.common.errors.SimpleErrors;
import dev.postgate.common.errors.ValidationException;
import dev.postgate.common.keys.KeyRedaction;
import dev.postgate.common.validation.FieldPath;
import dev.postgate.common.validation.Violations;
import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;
import io.vertx.ext.web.RoutingContext;

/**
 * The one place where exceptions become HTTP answers: every {@link ApiException} and every
 * framework error a malformed request can cause gets its SPEC status and code in the error
 * envelope. Anything else is a bug: 500 with a generic message, logged with the request id,
 * never with a class name or stack trace in the body.
 */
public class ErrorMapper {
    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @Inject
    AllowedMethods allowed;

    @ServerExceptionMapper
    public Response api(ApiException e, RoutingContext rc) {
        return respond(e, rc);
    }

    @ServerExceptionMapper
    public Response unrecognizedField(UnrecognizedPropertyException e, RoutingContext rc) {
        String field = FieldPath.of(e);
        List<String> known = e.getKnownPropertyIds() == null ? List.of()
                : e.getKnownPropertyIds().stream().map(id -> "'" + id + "'").sorted().toList();
        String message = "Unknown field '" + field + "'" + (known.isEmpty() ? "." : "; only " + String.join(", ", known)
                + " can be sent here.");
        return respond(ValidationException.invalid(field, message), rc);
    }

    @ServerExceptionMapper
    public Response wrongType(MismatchedInputException e, RoutingContext rc) {
        String field = FieldPath.of(e);
        String expected = e.getTargetType() == null ? "another type" : describe(e.getTargetType());
        if (field.isEmpty()) {
            return respond(ValidationException.badRequest("The request body must be a JSON object."), rc);
        }
        String message = "Field '" + field + "' must be " + expected + ".";
        return respond(ValidationException.badRequest(field, message), rc);
    }

    @ServerExceptionMapper
    public Response unreadableBody(InvalidDefinitionException e, RoutingContext rc) {
        // Jackson could not build the request object from this body (e.g. a field sent twice to a record).
        return respond(ValidationException.badRequest("The request body cannot be read: check for repeated or misplaced fields."), rc);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e, RoutingContext rc) {
        return respond(ValidationException.badRequest("The request body is not valid JSON."), rc);
    }

    @ServerExceptionMapper
    public Response constraints(ConstraintViolationException e, RoutingContext rc) {
        return respond(Violations.invalid(e.getConstraintViolations()), rc);
    }

    /** Bean Validation of a request body ({@code @Valid}): 422 naming each field, as SPEC section 4 says. */
    @ServerExceptionMapper
    public Response bodyConstraints(ResteasyReactiveViolationException e, RoutingContext rc) {
        return constraints(e, rc);
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, RoutingContext rc) {
        return respond(SimpleErrors.methodNotAllowed(rc.request().method().name(), allowed.of(rc.normalizedPath())), rc);
    }

    @ServerExceptionMapper
    public Response notSupported(NotSupportedException e, RoutingContext rc) {
        String sent = DeclaredTypes.sentContentType(rc);
        return respond(SimpleErrors.unsupportedMediaType("This path does not accept the content type '"
                + (sent == null ? "none" : sent) + "'; send application/json."), rc);
    }

    @ServerExceptionMapper
    public Response notAcceptable(NotAcceptableException e, RoutingContext rc) {
        return respond(SimpleErrors.notAcceptable("This path answers application/json only."), rc);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, RoutingContext rc) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException json) {
            return json instanceof MismatchedInputException m ? wrongType(m, rc) : malformedJson(json, rc);
        }
        return switch (status) {
            case 400 -> respond(ValidationException.badRequest("The request could not be read: check the body, the query and the path parameters."), rc);
            case 404 -> respond(NotFoundException.path(rc.normalizedPath()), rc);
            case 405 -> notAllowed(null, rc);
            case 406 -> notAcceptable(null, rc);
            case 413 -> respond(SimpleErrors.payloadTooLarge(HttpEdge.limit(rc)), rc);
            case 415 -> notSupported(null, rc);
            default -> status >= 400 && status < 500
                    ? respond(new ApiException(status, "BAD_REQUEST", "The request was refused."), rc)
                    : unexpected(e, rc);
        };
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, RoutingContext rc) {
        return respond(unexpectedError(e, rc), rc);
    }

    /**
     * The answer to a failure that is not an {@link ApiException}, for the REST layer and for the
     * routes that answer on their own (whoami): 503 when a dependency is unavailable or the database
     * gave a statement up for now (a deadlock, a lock or statement timeout: with Retry-After), 422 for text
     * the database cannot store, else 500 with the request id (and the stack trace in the log only).
     */
    public static ApiException unexpectedError(Throwable e, RoutingContext rc) {
        String requestId = HttpEdge.requestId(rc);
        if (DependencyFailures.isUnavailable(e)) {
            LOG.warnf("A dependency is unavailable on %s (request %s): %s", requestLine(rc), requestId, DependencyFailures.describe(e));
            return SimpleErrors.unavailable("A service Postgate depends on is unavailable; nothing was changed "
                    + "unless the answer says so. Retry shortly (with the same Idempotency-Key).");
        }
        if (PgStates.isGivenUpForNow(e)) {
            LOG.warnf("The database gave up a statement on %s for now (request %s): %s", requestLine(rc), requestId,
                    DependencyFailures.describe(e));
            RetryAfter wait = new RetryAfter(1);
            return SimpleErrors.unavailable("The database could not complete this request now (a conflict with another request, or a timeout); "
                    + "nothing was changed unless the answer says so. " + wait.sentence() + " (with the same Idempotency-Key).", wait);
        }
        if (PgStates.isUnstorableText(e)) {
            // A safety net behind the text rule of the request bodies (TextRule): text that reached the
            // database by another way (a query value, a form field) with a NUL in it.
            return ValidationException.invalid("A text value contains U+0000 (NUL) or another character"
                    + " that cannot be stored; send valid Unicode text without it.");
        }
        LOG.errorf(e, "Unexpected error on %s (request %s)", requestLine(rc), requestId);
        return new ApiException(500, "INTERNAL", "Something went wrong on our side. Quote request id " + requestId + " when you report it.");
    }

    /** The method and path for a log line: decoded, with anything that looks like a key taken out (SPEC section 2). */
    private static String requestLine(RoutingContext rc) {
        return rc.request().method() + " " + KeyRedaction.redact(rc.normalizedPath());
    }

    static Response respond(ApiException e, RoutingContext rc) {
        Response.ResponseBuilder builder = Response.status(e.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Envelopes.error(e, HttpEdge.requestId(rc)));
        for (Map.Entry<String, String> header : e.headers().entrySet()) {
            builder.header(header.getKey(), header.getValue());
        }
        return builder.build();
    }

    private static String describe(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 date-time such as 2026-03-02T10:00:00Z";
        }
        return "an object";
    }

}
